# MaixPy's lcd module: display() saves frames where `--lcd` says; everything else is accepted and ignored.
import _maixpy_mpy as _m

BLACK = 0x0000
NAVY = 0x000F
DARKGREEN = 0x03E0
DARKCYAN = 0x03EF
MAROON = 0x7800
PURPLE = 0x780F
OLIVE = 0x7BE0
LIGHTGREY = 0xC618
DARKGREY = 0x7BEF
BLUE = 0x001F
GREEN = 0x07E0
CYAN = 0x07FF
RED = 0xF800
MAGENTA = 0xF81F
YELLOW = 0xFFE0
WHITE = 0xFFFF
ORANGE = 0xFD20
GREENYELLOW = 0xAFE5
PINK = 0xF81F

_state = {'w': 320, 'h': 240, 'rotation': 0}


def init(*args, **kwargs):
    _state['w'], _state['h'] = int(kwargs.get('width', 320)), int(kwargs.get('height', 240))
    _bridge.LcdInit(_state['w'], _state['h'])


def deinit():
    pass


def width():
    return _state['w']


def height():
    return _state['h']


def type():
    return 1


def freq(f=None):
    return 20000000


def rotation(r=None):
    if r is not None:
        _state['rotation'] = int(r) & 3
    return _state['rotation']


def direction(d=None):
    return 0


def mirror(m=None):
    return False


def bgr_to_rgb(b=None):
    return False


def invert(i=None):
    return False


def set_backlight(level):
    pass


def get_backlight():
    return 100


def clear(color=None):
    _bridge.LcdClear()


def fill_rectangle(x, y, w, h, color):
    pass


def draw_string(x, y, text, color=None, bg=None):
    pass


def display(img, roi=None, oft=None, *args, **kwargs):
    import image
    if not isinstance(img, image.Image):
        raise TypeError("can't convert to image")
    if oft is None:
        _m.call(_bridge.LcdDisplay, img._h, False, 0, 0)
    else:
        _m.call(_bridge.LcdDisplay, img._h, True, int(oft[0]), int(oft[1]))
