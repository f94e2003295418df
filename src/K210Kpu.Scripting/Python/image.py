# MaixPy's image module over the C# FrameImage (display pixels + the KPU's planar ai buffer).
import _maixpy_mpy as _m

BINARY = 1
GRAYSCALE = 2
RGB565 = 3
YUV422 = 4
BAYER = 5
JPEG = 6

_WHITE = (255, 255, 255)


def _split(args, names):
    """Leading coordinates (separate or one tuple) and the positional arguments after them."""
    n = len(names)
    if args and isinstance(args[0], (tuple, list)):
        coords, rest = tuple(args[0]), tuple(args[1:])
    else:
        coords, rest = tuple(args[:n]), tuple(args[n:])
    if len(coords) != n:
        raise TypeError('expected %s or a tuple of %d' % (', '.join(names), n))
    return tuple(int(a) for a in coords), rest


def _roi4(args, names=('x', 'y', 'w', 'h')):
    return _split(args, names)[0]


def _pick(rest, i, value, default):
    """A positional extra argument, unless it was given by keyword."""
    if value is not None:
        return value
    return rest[i] if len(rest) > i else default


class Image:
    """image.Image(): 320x240 RGB565; Image(size=(w, h)); Image(path); Image(path, copy_to_fb=...)."""

    def __init__(self, path=None, *args, size=None, copy_to_fb=False, from_bytes=False, width=None, height=None, **kwargs):
        if isinstance(path, str):
            import uos
            self._h = _m.call(_bridge.LoadImage, uos.host_path(path), False)
            return
        if path is not None and not isinstance(path, str):
            raise TypeError('image path must be a string')
        w, h = 320, 240
        if size is not None:
            w, h = int(size[0]), int(size[1])
        if width is not None:
            w = int(width)
        if height is not None:
            h = int(height)
        self._h = _m.call(_bridge.NewImage, w, h, False)

    @classmethod
    def _wrap(cls, handle):
        img = cls.__new__(cls)
        img._h = handle
        return img

    # -- shape ---------------------------------------------------------------------------------
    def width(self):
        return self._h.Width

    def height(self):
        return self._h.Height

    def format(self):
        return GRAYSCALE if _bridge.IsGray(self._h) else RGB565

    def size(self):
        return self._h.Width * self._h.Height * self._h.BytesPerPixel

    def __len__(self):
        return self._h.Width * self._h.Height

    def __repr__(self):
        return '{"w":%d, "h":%d, "type"="%s", "size":%d}' % (
            self.width(), self.height(), 'grayscale' if _bridge.IsGray(self._h) else 'rgb565', self.size())

    # -- colours and pixels ------------------------------------------------------------------------
    def _color(self, color, default=_WHITE):
        if color is None:
            color = default
        if isinstance(color, (tuple, list)):
            if len(color) != 3:
                raise TypeError('color must be (r, g, b)')
            return self._h.Color(int(color[0]) & 255, int(color[1]) & 255, int(color[2]) & 255)
        return int(color)

    def get_pixel(self, x, y=None, rgbtuple=True):
        if y is None:
            x, y = x
        x, y = int(x), int(y)
        if not (0 <= x < self._h.Width and 0 <= y < self._h.Height):
            return None
        if _bridge.IsGray(self._h):
            return self._h.GetPixel(x, y)
        v = _bridge.GetRgb(self._h, x, y)
        if not rgbtuple:
            return self._h.GetPixel(x, y)
        return ((v >> 16) & 255, (v >> 8) & 255, v & 255)

    def set_pixel(self, x, y, color=None):
        if isinstance(x, (tuple, list)):
            x, y, color = x[0], x[1], y
        x, y = int(x), int(y)
        if 0 <= x < self._h.Width and 0 <= y < self._h.Height:
            self._h.SetPixel(x, y, self._color(color))
        return self

    # -- drawing -----------------------------------------------------------------------------
    def draw_rectangle(self, *args, color=None, thickness=None, fill=None, **kwargs):
        (x, y, w, h), rest = _split(args, ('x', 'y', 'w', 'h'))
        self._h.DrawRectangle(x, y, w, h, self._color(_pick(rest, 0, color, None)), int(_pick(rest, 1, thickness, 1)),
                              bool(_pick(rest, 2, fill, False)))
        return self

    def draw_line(self, *args, color=None, thickness=None, **kwargs):
        (x0, y0, x1, y1), rest = _split(args, ('x0', 'y0', 'x1', 'y1'))
        self._h.DrawLine(x0, y0, x1, y1, self._color(_pick(rest, 0, color, None)), int(_pick(rest, 1, thickness, 1)))
        return self

    def draw_circle(self, *args, color=None, thickness=None, fill=None, **kwargs):
        (x, y, r), rest = _split(args, ('x', 'y', 'radius'))
        self._h.DrawCircle(x, y, r, self._color(_pick(rest, 0, color, None)), int(_pick(rest, 1, thickness, 1)),
                           bool(_pick(rest, 2, fill, False)))
        return self

    def draw_cross(self, *args, color=None, size=None, thickness=None, **kwargs):
        (x, y), rest = _split(args, ('x', 'y'))
        self._h.DrawCross(x, y, self._color(_pick(rest, 0, color, None)), int(_pick(rest, 1, size, 5)),
                          int(_pick(rest, 2, thickness, 1)))
        return self

    def draw_string(self, x, y, text, color=None, scale=1, x_spacing=0, y_spacing=2, mono_space=False, **kwargs):
        self._h.DrawString(int(x), int(y), str(text), self._color(color), float(scale), int(x_spacing), int(y_spacing),
                           bool(mono_space))
        return self

    def draw_image(self, image, x=0, y=0, x_scale=1.0, y_scale=1.0, alpha=256, mask=None, **kwargs):
        if isinstance(x, (tuple, list)):
            if y != 0 and not isinstance(y, (tuple, list)):
                x_scale, y_scale, alpha = y, x_scale, y_scale if isinstance(y_scale, int) else alpha
            x, y = x[0], x[1]
        if not isinstance(image, Image):
            raise TypeError('expected an image')
        self._h.DrawImage(image._h, int(x), int(y), float(x_scale), float(y_scale), int(alpha),
                          None if mask is None else mask._h)
        return self

    def clear(self):
        self._h.Clear()
        return self

    # -- new images -----------------------------------------------------------------------------
    def copy(self, roi=None, copy_to_fb=False, **kwargs):
        if roi is None:
            return Image._wrap(self._h.Copy())
        x, y, w, h = _roi4((roi,))
        return Image._wrap(_m.call(self._h.Copy, x, y, w, h))

    def crop(self, *args, roi=None, **kwargs):
        if roi is not None:
            args = (roi,)
        if not args:
            return Image._wrap(self._h.Copy())
        x, y, w, h = _roi4(args)
        return Image._wrap(_m.call(self._h.Crop, x, y, w, h))

    def resize(self, w, h):
        return Image._wrap(_m.call(self._h.Resize, int(w), int(h)))

    def to_grayscale(self, copy=False):
        new = self._h.ToGrayscale()
        if copy:
            return Image._wrap(new)
        self._h = new
        return self

    def to_rgb565(self, copy=False):
        new = self._h.ToRgb565()
        if copy:
            return Image._wrap(new)
        self._h = new
        return self

    # -- the KPU's buffer -------------------------------------------------------------------------
    def pix_to_ai(self):
        self._h.PixToAi()

    def ai_to_pix(self):
        _bridge.AiToPix(self._h)

    def stretch(self, to_min, to_max):
        if not _bridge.IsGray(self._h):
            print('only support grayscale now\r')
            return None
        self._h.Stretch(int(to_min), int(to_max))
        return None

    def save(self, path, roi=None, quality=50):
        import uos
        _m.call(_bridge.SaveImage, self._h, uos.host_path(path))
        return self

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)

        def _unsupported(*args, **kwargs):
            _m.notice('image.' + name, 'image.Image.%s is not available on the desktop; it returns None' % name)
            return None
        return _unsupported


def rgb_to_lab(rgb):
    r, g, b = [c / 255.0 for c in rgb]
    return (int(round((0.2126 * r + 0.7152 * g + 0.0722 * b) * 100)), 0, 0)
