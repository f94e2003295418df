# MicroPython stand-ins and image routines, no model needed.
import sensor, image, lcd, time, gc, os, sys, utime, uos, micropython
from Maix import GPIO
from fpioa_manager import fm
from board import board_info
from machine import UART

X = micropython.const(3)
fm.register(board_info.LED_R, fm.fpioa.GPIO0, force=True)
led = GPIO(GPIO.GPIO0, GPIO.OUT)
led.value(1)
uart = UART(UART.UART1, 115200)
print('cwd', os.getcwd(), 'mem', gc.mem_free() > 0, 'const', X)
print('listdir', 'stand_ins.py' in os.listdir())
lcd.init()
sensor.reset()
sensor.set_pixformat(sensor.RGB565)
sensor.set_framesize(sensor.QVGA)
sensor.set_windowing((224, 224))
sensor.set_hmirror(0)
sensor.skip_frames(time=2000)
sensor.run(1)
clock = time.clock()
t0 = time.ticks_ms()
n = 0
while True:
    clock.tick()
    img = sensor.snapshot()
    n += 1
    assert img.width() == 224 and img.height() == 224 and img.format() == sensor.RGB565
    img.draw_rectangle((10, 10, 50, 40), color=(255, 0, 0), thickness=2)
    img.draw_string(10, 60, 'fps %d' % n, color=(0, 255, 0), scale=2)
    img.draw_cross(100, 100, color=(0, 0, 255), size=4)
    img.draw_circle(150, 150, 20, color=(255, 255, 0))
    img.set_pixel(0, 0, (255, 255, 255))
    img.draw_rectangle(100, 10, 30, 30, lcd.GREEN, 2, False)
    img.draw_line((0, 200, 50, 200), (255, 255, 0), 1)
    print('positional', img.get_pixel(100, 10), img.get_pixel(25, 200))
    print('pixel', img.get_pixel(0, 0), img.get_pixel(12, 10))
    small = img.resize(112, 112)
    gray = small.to_grayscale(copy=True)
    crop = img.copy((0, 0, 32, 32))
    print('sizes', small.width(), small.height(), gray.format() == sensor.GRAYSCALE, crop.width())
    small.pix_to_ai()
    lcd.display(img)
    print('fps %.1f' % clock.fps(), 'diff', time.ticks_diff(time.ticks_ms(), t0) > 0)
    try:
        raise ValueError('caught')
    except Exception as e:
        sys.print_exception(e)
    gc.collect()
