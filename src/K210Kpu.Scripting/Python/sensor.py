# MaixPy's sensor module: the camera is a list of pictures; snapshot() ends the script after the last one.
import _maixpy_mpy as _m
import image as _image

BINARY = 1
GRAYSCALE = 2
RGB565 = 3
YUV422 = 4
BAYER = 5
JPEG = 6

_SIZES = [
    ('QQCIF', 88, 72), ('QCIF', 176, 144), ('CIF', 352, 288), ('QQSIF', 88, 60), ('QSIF', 176, 120),
    ('SIF', 352, 240), ('QQQQVGA', 40, 30), ('QQQVGA', 80, 60), ('QQVGA', 160, 120), ('QVGA', 320, 240),
    ('VGA', 640, 480), ('HQQQVGA', 60, 40), ('HQQVGA', 120, 80), ('HQVGA', 240, 160), ('B64X32', 64, 32),
    ('B64X64', 64, 64), ('B128X64', 128, 64), ('B128X128', 128, 128), ('B240X240', 240, 240),
    ('LCD', 128, 160), ('QQVGA2', 128, 160), ('WVGA', 720, 480), ('WVGA2', 752, 480), ('SVGA', 800, 600),
    ('SXGA', 1280, 1024), ('UXGA', 1600, 1200),
]
_FRAME = {}
_NAME = {}
for _i, (_n, _w, _h) in enumerate(_SIZES, start=1):
    globals()[_n] = _i
    _FRAME[_i] = (_w, _h)
    _NAME[_i] = _n

OV2640 = 0x2642
OV5640 = 0x5640
OV7740 = 0x7742
GC0328 = 0x9d
GC2145 = 0x2145

_state = {'format': RGB565, 'size': QVGA, 'window': None, 'reset': False}


def reset(freq=24000000, set_regs=True, dual_buff=False, choice=None):
    _state.update(format=RGB565, size=QVGA, window=None, reset=True)


def set_pixformat(fmt, *args, **kwargs):
    if fmt not in (GRAYSCALE, RGB565):
        raise ValueError('Invalid Pixel Format')
    _state['format'] = fmt
    return True


def set_framesize(size, *args, **kwargs):
    if size not in _FRAME:
        raise ValueError('Invalid Frame Size')
    _state['size'] = size
    _state['window'] = None
    return True


def set_windowing(roi):
    fw, fh = _FRAME[_state['size']]
    if len(roi) == 2:
        w, h = int(roi[0]), int(roi[1])
    elif len(roi) == 4:
        w, h = int(roi[2]), int(roi[3])
    else:
        raise ValueError('tuple/list must be (w, h) or (x, y, w, h)')
    if w <= 0 or h <= 0 or w > fw or h > fh:
        raise ValueError('Invalid ROI dimensions!')
    _state['window'] = (w, h)
    return True


def get_windowing():
    fw, fh = _FRAME[_state['size']]
    w, h = _state['window'] or (fw, fh)
    return ((fw - w) // 2, (fh - h) // 2, w, h)


def width():
    return (_state['window'] or _FRAME[_state['size']])[0]


def height():
    return (_state['window'] or _FRAME[_state['size']])[1]


def get_pixformat():
    return _state['format']


def get_framesize():
    return _state['size']


def get_id():
    return OV2640


def run(enable=1):
    return True


def skip_frames(n=10, time=None):
    # The camera would drop frames here; the pictures are kept for the script, only the clock moves.
    frames = int(n) if time is None else max(1, int(time) // 33)
    _bridge.Sleep(frames * 33000.0)


def snapshot():
    fw, fh = _FRAME[_state['size']]
    w, h = _state['window'] or (fw, fh)
    handle = _m.call(_bridge.Snapshot, _NAME[_state['size']], w, h, _state['format'] == GRAYSCALE)
    if handle is None:
        raise _ScriptEnd()
    return _image.Image._wrap(handle)


def __getattr__(name):
    if name.startswith('_'):
        raise AttributeError(name)

    def _setting(*args, **kwargs):
        _m.notice('sensor.' + name, 'sensor.%s is simulated: camera settings do not change the pictures' % name)
        return True
    return _setting
