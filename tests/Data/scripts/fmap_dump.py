# Feature maps of the face model: forward(task, img, n) computes n layers; set_layers does it the later way.
import sensor, image, KPU as kpu

sensor.reset()
sensor.set_pixformat(sensor.RGB565)
sensor.set_framesize(sensor.QVGA)
task = kpu.load(0x300000)
img = sensor.snapshot()
fmap = kpu.forward(task, img, 3)
print('fmap3', fmap.w(), fmap.h(), fmap.ch(), fmap.index(), fmap.size(), fmap.typecode(), fmap[0], len(fmap[10:20]))
with open('/flash/fmap3.bin', 'wb') as f:
    f.write(bytes(fmap))
ch5 = kpu.fmap(fmap, 5)
print('ch5', ch5.width(), ch5.height(), ch5.format() == sensor.GRAYSCALE, ch5.get_pixel(3, 4) == fmap[5 * 80 * 60 + 4 * 80 + 3])
kpu.set_layers(task, 10)
fmap = kpu.forward(task, img)
print('layers10', fmap.w(), fmap.h(), fmap.ch(), fmap.index())
with open('/flash/fmap10.bin', 'wb') as f:
    f.write(bytes(fmap))
kpu.set_layers(task, 0)
out = kpu.forward(task, img)
print('out', out.typecode(), len(out), out.size())
with open('/flash/out0.bin', 'wb') as f:
    f.write(bytes(out))
info = kpu.netinfo(task)
print(info[0])
print(info[23])
print(len(info), task.model_addr() == 0x300000, task.model_size(), task.model_path())
kpu.deinit(task)
