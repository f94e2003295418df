# The face routine with the model streamed from flash (kpu.load_flash, big-endian model at 0x600000).
import sensor, image, lcd
import KPU as kpu

lcd.init()
sensor.reset()
sensor.set_pixformat(sensor.RGB565)
sensor.set_framesize(sensor.QVGA)
sensor.run(1)
task = kpu.load_flash(0x600000, 1, 0x4000, 60000000)
anchor = (1.889, 2.5245, 2.9465, 3.94056, 3.99987, 5.3658, 5.155437, 6.92275, 6.718375, 9.01025)
kpu.init_yolo2(task, 0.5, 0.3, 5, anchor)
while True:
    img = sensor.snapshot()
    faces = kpu.run_yolo2(task, img)
    if faces:
        for f in faces:
            print(f)
            img.draw_rectangle(f.rect())
    lcd.display(img)
