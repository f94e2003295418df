# MaixPy's argument checks and error texts, as scripts see them.
import sensor, image, sys
import KPU as kpu


def expect(f, exc, msg):
    try:
        f()
    except exc as e:
        assert str(e) == msg, '%r != %r' % (str(e), msg)
        return
    raise AssertionError('no %s: %r' % (exc.__name__, msg))


anchor = (1.889, 2.5245, 2.9465, 3.94056, 3.99987, 5.3658, 5.155437, 6.92275, 6.718375, 9.01025)
expect(lambda: kpu.load(0), ValueError, '[MAIXPY]kpu: model_addr must > 0 ')
expect(lambda: kpu.load(-1), ValueError, '[MAIXPY]kpu: model_addr must > 0 ')
expect(lambda: kpu.load(1.5), TypeError, '[MAIXPY]kpu: only accept int or string')
expect(lambda: kpu.load(True), TypeError, '[MAIXPY]kpu: only accept int or string')
expect(lambda: kpu.load(None), TypeError, '[MAIXPY]kpu: only accept int or string')
expect(lambda: kpu.load('/sd/model.bin'), ValueError, "[MAIXPY]kpu: model format don't match, only supply .kmodel ")
expect(lambda: kpu.load(0x300000), ValueError, '[MAIXPY]kpu: load error:2002, ERR_KMODEL_VERSION: only support kmodel V3/V4 now')
expect(lambda: kpu.load('/sd/missing.kmodel'), ValueError, '[MAIXPY]kpu: load error:2005, ERR_READ_FILE: read file failed')
expect(lambda: kpu.load_flash(0x300000, 0, 1), TypeError, "load_flash() missing 1 required positional argument: 'spi_speed'")
expect(lambda: kpu.load_flash(0x300000, 0, 1, 8e7), ValueError,
       '[MAIXPY]kpu: load_flash arg format error: task=kpu.load_flash(flash_addr, is_dual_buf, batch_size, spi_speed)')

task = kpu.load('/sd/maixpy_face_yolo2_v3.kmodel')
expect(lambda: kpu.init_yolo2('task', 0.5, 0.3, 5, anchor), TypeError, '[MAIXPY]kpu: kpu_net type error')
expect(lambda: kpu.init_yolo2(task, 1.5, 0.3, 5, anchor), ValueError, '[MAIXPY]kpu: threshold only support 0 to 1')
expect(lambda: kpu.init_yolo2(task, 0.5, -0.1, 5, anchor), ValueError, '[MAIXPY]kpu: nms_value only support 0 to 1')
expect(lambda: kpu.init_yolo2(task, 0.5, 0.3, 0, anchor), ValueError, '[MAIXPY]kpu: anchor_number should > 0')
expect(lambda: kpu.init_yolo2(task, 0.5, 0.3, 4, anchor), ValueError, 'tuple/list has wrong length')
assert kpu.init_yolo2(task, threshold=0.5, nms_value=0.3, anchor_number=5, anchor=anchor) is True
print(task.net_arg().anchor_number(), task.net_arg().threshold())

small = image.Image(size=(160, 120))
small.pix_to_ai()
expect(lambda: kpu.run_yolo2(task, small), ValueError, '[MAIXPY]kpu: check img format err!\r\n')
expect(lambda: kpu.run_yolo2('task', small), TypeError, '[MAIXPY]kpu: kpu_net type error')
expect(lambda: kpu.forward(task, small), ValueError, '[MAIXPY]kpu: check img format err!\r\n')
expect(lambda: kpu.forward(task, []), ValueError, '[MAIXPY]kpu: check input list format err!\r\n')
expect(lambda: kpu.forward(task, 'img'), ValueError, 'input not support')
assert kpu.forward('task', small) is None

sensor.reset()
img = sensor.snapshot()
fm = kpu.forward(task, img, 3)
expect(lambda: kpu.fmap(fm, 32), ValueError, '[MAIXPY]kpu: ch err,input 0~32\r\n')
expect(lambda: kpu.fmap(fm, -1), ValueError, '[MAIXPY]kpu: ch err,input 0~32\r\n')
expect(lambda: fm[0:10:2], OSError, 'only slices with step=1 (aka None) are supported')
full = kpu.forward(task, img)
expect(lambda: kpu.fmap(full, 0), ValueError, "[MAIXPY]kpu: can't convet float fmap yet\r\n")
assert kpu.set_layers(task, 99) is False
expect(lambda: kpu.set_outputs(task, 'a', 1, 1, 1), ValueError,
       '[MAIXPY]kpu: set_outputs arg format error: set_outputs(task, int idx, int w, int h, int ch)')
assert kpu.set_outputs(task, 3, 1, 1, 1) is False
expect(lambda: kpu.get_output(task, 1.0), ValueError, '[MAIXPY]kpu: get_output arg format error: get_output(task, int idx)')
assert kpu.deinit(task) is True
expect(lambda: kpu.deinit('task'), TypeError, '[MAIXPY]kpu: kpu_net type error')
expect(lambda: kpu.forward(task, img), OSError, '[MAIXPY]kpu: kpu_net used after kpu.deinit')
print('errors ok')
