# ImageNet classification with MobileNet 0.75 (1000 classes), 224x224 window of the camera.
import sensor, image, lcd, time, gc
import KPU as kpu

lcd.init()
sensor.reset()
sensor.set_pixformat(sensor.RGB565)
sensor.set_framesize(sensor.QVGA)
sensor.set_windowing((224, 224))
sensor.run(1)
task = kpu.load("/sd/maixpy_mbnet75_imagenet_v3.kmodel")
n = 0
while True:
    img = sensor.snapshot()
    t = time.ticks_ms()
    fmap = kpu.forward(task, img)
    t = time.ticks_ms() - t
    plist = fmap[:]
    pmax = max(plist)
    max_index = plist.index(pmax)
    print("%d %.4f %d %d %s" % (max_index, pmax, len(plist), fmap.size(), t > 0))
    with open("/flash/probs_%d.bin" % n, "wb") as f:
        f.write(bytes(fmap))
    n += 1
    img.draw_string(0, 0, "%d: %.3f" % (max_index, pmax), scale=2)
    lcd.display(img)
    gc.collect()
