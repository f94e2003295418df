# 20-class VOC detector (the Kendryte SDK's yolo demo model) in the usual MaixPy loop.
import sensor, image, lcd, time
import KPU as kpu

classes = ['aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat', 'chair', 'cow',
           'diningtable', 'dog', 'horse', 'motorbike', 'person', 'pottedplant', 'sheep', 'sofa', 'train', 'tvmonitor']
lcd.init()
sensor.reset()
sensor.set_pixformat(sensor.RGB565)
sensor.set_framesize(sensor.QVGA)
sensor.run(1)
task = kpu.load("/sd/sdk_voc20_yolo2_v3.kmodel")
anchor = (1.08, 1.19, 3.42, 4.41, 6.63, 11.38, 9.42, 5.11, 16.62, 10.52)
a = kpu.init_yolo2(task, 0.5, 0.3, 5, anchor)
clock = time.clock()
while True:
    clock.tick()
    img = sensor.snapshot()
    code = kpu.run_yolo2(task, img)
    if code:
        for i in code:
            a = img.draw_rectangle(i.rect(), color=(0, 255, 0))
            a = img.draw_string(i.x(), i.y(), classes[i.classid()], color=(255, 0, 0), scale=1.5)
            print(i)
    else:
        print('none')
    a = img.draw_string(0, 200, "%2.1ffps" % clock.fps(), color=(0, 60, 128), scale=2.0)
    lcd.display(img)
kpu.deinit(task)
