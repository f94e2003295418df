# MaixPy's KPU module (maixpy-api.md): names, argument forms, return objects and error texts of the firmware;
# the model work happens in C# (ScriptBridge -> K210Kpu).
import _maixpy_mpy as _m
import image as _image

__name__ = 'kpu'

_ERR_NET = '[MAIXPY]kpu: kpu_net type error'


class kpu_yolo2:
    def __init__(self, threshold, nms_value, anchor_number, anchor):
        self._t, self._n, self._a_n, self._a = threshold, nms_value, anchor_number, anchor

    def threshold(self):
        return self._t

    def nms_value(self):
        return self._n

    def anchor_number(self):
        return self._a_n

    def anchor(self):
        return tuple(self._a)

    def __repr__(self):
        a = ', '.join('%f' % v for v in self._a)
        return '{"threshold":%f, "nms_value":%f, "anchor_number":%d, "anchor":"(%s)"}' % (
            self._t, self._n, self._a_n, a[:300])


class kpu_net:
    def __init__(self, handle, path=None):
        self._h = handle
        self._yolo = None
        self._path = path

    def model_addr(self):
        a = self._h.ModelAddress
        return None if a is None else int(a)

    def model_size(self):
        return int(self._h.ModelSize)

    def model_path(self):
        return self._path

    def net_arg(self):
        return self._yolo

    def __repr__(self):
        a = self._h.ModelAddress
        return '{"model_addr": %d, "model_size": %d, "model_path": "%s", "net_args": %s}' % (
            0 if a is None else int(a), self._h.ModelSize, '(null)' if self._path is None else self._path,
            repr(self._yolo) if self._yolo is not None else '"(null)"')


class kpu_yolo2_find:
    def __init__(self, x, y, w, h, value, classid, index, objnum):
        self._r = (x, y, w, h)
        self._v, self._c, self._i, self._n = value, classid, index, objnum

    def rect(self):
        return self._r

    def x(self):
        return self._r[0]

    def y(self):
        return self._r[1]

    def w(self):
        return self._r[2]

    def h(self):
        return self._r[3]

    def value(self):
        return self._v

    def classid(self):
        return self._c

    def index(self):
        return self._i

    def objnum(self):
        return self._n

    def __repr__(self):
        return '{"x":%d, "y":%d, "w":%d, "h":%d, "value":%f, "classid":%d, "index":%d, "objnum":%d}' % (
            self._r + (self._v, self._c, self._i, self._n))


class kpu_netinfo_find:
    def __init__(self, row, name):
        self._row = tuple(int(v) for v in row)
        self._name = str(name)

    def index(self):
        return self._row[0]

    def type(self):
        return self._row[1]

    def wi(self):
        return self._row[2]

    def hi(self):
        return self._row[3]

    def wo(self):
        return self._row[4]

    def ho(self):
        return self._row[5]

    def chi(self):
        return self._row[6]

    def cho(self):
        return self._row[7]

    def dw(self):
        return self._row[8]

    def kernel_type(self):
        return self._row[9]

    def pool_type(self):
        return self._row[10]

    def para_size(self):
        return self._row[11]

    def __repr__(self):
        r = self._row
        return ('{"index":%d, "type":%s, "wi":%d, "hi":%d, "wo":%d, "ho":%d, "chi":%d, "cho":%d, "dw":%d, '
                '"kernel_type":%d, "pool_type":%d, "para_size":%d}') % ((r[0], self._name) + r[2:])


class kpu_fmap:
    """A feature map: a copy of the output that indexing, slicing and slice assignment work on."""

    def __init__(self, handle):
        self._h = handle
        self._float = bool(_bridge.MapIsFloat(handle))
        self._data = list(_bridge.MapFloats(handle)) if self._float else bytearray(bytes(_bridge.MapBytes(handle)))
        self._dirty = False

    def size(self):
        return len(self._data) * (4 if self._float else 1)

    def index(self):
        return int(self._h.Index)

    def w(self):
        return int(self._h.W)

    def h(self):
        return int(self._h.H)

    def ch(self):
        return int(self._h.Ch)

    def typecode(self):
        return 'f' if self._float else 'B'

    def __len__(self):
        return len(self._data)

    def __getitem__(self, i):
        if isinstance(i, slice):
            if i.step not in (None, 1):
                raise OSError('only slices with step=1 (aka None) are supported')
            return tuple(self._data[i])
        return self._data[i]

    def __setitem__(self, i, v):
        self._dirty = True
        if isinstance(i, slice):
            if i.step not in (None, 1):
                raise OSError('only slices with step=1 (aka None) are supported')
            n = len(range(*i.indices(len(self._data))))
            if isinstance(v, (list, tuple, bytes, bytearray)):
                if len(v) != n:
                    raise ValueError('cannot grow or shrink image')
                self._data[i] = type(self._data)(v)
            else:
                self._data[i] = type(self._data)([v] * n)
            return
        self._data[i] = v

    def __bytes__(self):
        if self._float:
            import struct
            return struct.pack('<%df' % len(self._data), *self._data)
        return bytes(self._data)

    def __repr__(self):
        return '{"fmap": "data"=0x%x, "size"=%d, "index": %d, "w": %d, "h": %d, "ch": %d, "typecode": %s}' % (
            id(self) & 0xffffffff, self.size(), self.index(), self.w(), self.h(), self.ch(), self.typecode())


def _net(task):
    if not isinstance(task, kpu_net):
        raise TypeError(_ERR_NET)
    return task


def load(offset_or_path, *args, **kwargs):
    x = offset_or_path
    if _m.is_int(x):
        if x <= 0:
            raise ValueError('[MAIXPY]kpu: model_addr must > 0 ')
        return kpu_net(_m.call(_bridge.LoadFlash, min(x, 0x7fffffff)))
    if type(x) is str:
        if '.kmodel' not in x and '.smodel' not in x and '.emodel' not in x:
            raise ValueError("[MAIXPY]kpu: model format don't match, only supply .kmodel ")
        import uos
        try:
            host = uos.host_path(x)
        except OSError:
            host = '/nonexistent' + x
        return kpu_net(_m.call(_bridge.LoadFile, host, x), x)
    raise TypeError('[MAIXPY]kpu: only accept int or string')


def load_flash(model_addr, is_dual_buf, batch_size, spi_speed):
    args = (model_addr, is_dual_buf, batch_size, spi_speed)
    if not all(_m.is_int(v) for v in args):
        raise ValueError('[MAIXPY]kpu: load_flash arg format error: '
                         'task=kpu.load_flash(flash_addr, is_dual_buf, batch_size, spi_speed)')
    if model_addr <= 0:
        raise ValueError('[MAIXPY]kpu: model_addr must > 0 ')
    if not all(-0x80000000 <= v <= 0x7fffffff for v in args):
        raise ValueError('[MAIXPY]kpu: load_flash error:2001, ERR_PARAM: please check param, load address or kmodel file name')
    return kpu_net(_m.call(_bridge.LoadFlashStreaming, model_addr, 1 if is_dual_buf else 0, batch_size, spi_speed))


def _unit(v, what):
    v = float(v)
    if not (0.0 <= v <= 1.0):
        raise ValueError('[MAIXPY]kpu: %s only support 0 to 1' % what)
    return v


def init_yolo2(kpu_net, threshold, nms_value, anchor_number, anchor, dma=-1):
    task = _net(kpu_net)
    threshold = _unit(threshold, 'threshold')
    nms_value = _unit(nms_value, 'nms_value')
    if not _m.is_int(anchor_number):
        raise TypeError("can't convert %s to int" % type(anchor_number).__name__)
    if anchor_number <= 0:
        raise ValueError('[MAIXPY]kpu: anchor_number should > 0')
    if not isinstance(anchor, (tuple, list)):
        raise TypeError("object '%s' isn't a tuple or list" % type(anchor).__name__)
    if len(anchor) != 2 * anchor_number:
        raise ValueError('tuple/list has wrong length')
    import struct
    # The firmware keeps anchors and thresholds as float32.
    f32 = lambda v: struct.unpack('<f', struct.pack('<f', float(v)))[0]
    anchors = [f32(a) for a in anchor]
    from System import Array, Single
    _m.call(_bridge.InitYolo2, task._h, threshold, nms_value, anchor_number, Array[Single](anchors))
    task._yolo = kpu_yolo2(f32(threshold), f32(nms_value), anchor_number, anchors)
    return True


def run_yolo2(kpu_net, img):
    task = _net(kpu_net)
    if not isinstance(img, _image.Image):
        raise TypeError("can't convert %s to Image" % type(img).__name__)
    flat = list(_m.call(_bridge.RunYolo2, task._h, img._h))
    n = len(flat) // 6
    if n == 0:
        return None
    out = []
    for i in range(n):
        x, y, w, h, c, v = flat[i * 6:i * 6 + 6]
        out.append(kpu_yolo2_find(int(x), int(y), int(w), int(h), float(v), int(c), i, n))
    return out


def deinit(kpu_net):
    task = _net(kpu_net)
    _bridge.Deinit(task._h)
    task._yolo = None
    return True


def set_layers(kpu_net, n):
    if not _m.is_int(n):
        raise TypeError("can't convert %s to int" % type(n).__name__)
    return bool(_m.call(_bridge.SetLayers, kpu_net._h, max(min(n, 0x7fffffff), -0x7fffffff)))


def set_outputs(task, idx, w, h, ch):
    if not all(_m.is_int(v) for v in (idx, w, h, ch)):
        raise ValueError('[MAIXPY]kpu: set_outputs arg format error: set_outputs(task, int idx, int w, int h, int ch)')
    return bool(_m.call(_bridge.SetOutputs, _net(task)._h, idx, w, h, ch))


def forward(kpu_net, img, layers=0, dma=-1):
    """forward(task, img, n): computes the first n layers (the KPU documentation's meaning) and returns the last
    computed layer's map; forward(task, img) runs as set_layers says and returns output 0 after a full run."""
    if not isinstance(kpu_net, kpu_net_type):
        return None
    task = kpu_net
    for v in (layers, dma):
        if not _m.is_int(v):
            raise TypeError("can't convert %s to int" % type(v).__name__)
    if isinstance(img, list):
        if not img:
            raise ValueError('[MAIXPY]kpu: check input list format err!\r\n')
        from System import Array, Single
        data = Array[Single]([float(v) for v in img])
        return kpu_fmap(_m.call(_bridge.ForwardFloats, task._h, data))
    if not isinstance(img, _image.Image):
        raise ValueError('input not support')
    return kpu_fmap(_m.call(_bridge.Forward, task._h, img._h, layers))


kpu_net_type = kpu_net


def get_output(kpu_net, idx):
    if not _m.is_int(idx):
        raise ValueError('[MAIXPY]kpu: get_output arg format error: get_output(task, int idx)')
    return kpu_fmap(_m.call(_bridge.GetOutput, _net(kpu_net)._h, idx))


def fmap(fmap, ch):
    if not _m.is_int(ch):
        raise TypeError("can't convert %s to int" % type(ch).__name__)
    if ch < 0 or ch >= fmap.ch():
        raise ValueError('[MAIXPY]kpu: ch err,input 0~%d\r\n' % fmap.ch())
    if fmap.typecode() != 'B':
        raise ValueError("[MAIXPY]kpu: can't convet float fmap yet\r\n")
    if not fmap._dirty:
        return _image.Image._wrap(_m.call(_bridge.Fmap, fmap._h, ch))
    plane = fmap.w() * fmap.h()
    from System import Array, Byte
    data = Array[Byte](list(fmap._data[plane * ch:plane * (ch + 1)]))
    return _image.Image._wrap(_bridge.GrayImage(fmap.w(), fmap.h(), data))


def fmap_free(fmap):
    return None


def netinfo(kpu_net):
    task = kpu_net
    for line in _bridge.NetInfoLines(task._h):
        print(str(line) + '\r')
    rows = list(_bridge.NetInfo(task._h))
    if not rows:
        raise ValueError('get layer num error!')
    names = list(_bridge.NetInfoNames(task._h))
    return [kpu_netinfo_find(list(r), n) for r, n in zip(rows, names)]


def memtest():
    _bridge.MemTest()


def face_encode(feature):
    if len(feature) > 512:
        raise ValueError('feature dim <=200\r\n')
    out = bytearray(len(feature))
    for i, v in enumerate(feature):
        q = int(round(float(v) * 127))
        out[i] = max(-128, min(127, q)) & 0xff
    return out


def face_compare(buf0, buf1):
    if len(buf0) != len(buf1):
        raise ValueError('compare feature must in same dim!\r\n')
    import math
    a = [b - 256 if b > 127 else b for b in buf0]
    b = [c - 256 if c > 127 else c for c in buf1]
    num = sum(x * y for x, y in zip(a, b))
    den = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    cos = num / den if den else 0.0
    return max(0.0, min(100.0, (cos + 1.0) * 50.0))
