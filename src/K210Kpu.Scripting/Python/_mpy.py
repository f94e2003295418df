# Shared helpers of the MaixPy modules: C# error mapping, MicroPython's gc and micropython modules.
import builtins
import types

_noticed = set()


def notice(key, message):
    _bridge.Notice(key, message)


def maix_error(e):
    """The Python exception for a C# MaixError (or None for other exceptions)."""
    t = getattr(e, 'PythonType', None)
    if t is None:
        if type(e).__name__ == 'ObjectDisposedException':
            return OSError('[MAIXPY]kpu: kpu_net used after kpu.deinit')
        return None
    cls = getattr(builtins, str(t), RuntimeError)
    printed = getattr(e, 'Printed', None)
    if printed is not None:
        print(str(printed) + '\r')
    return cls(firmware_text(str(e.Message)))


# The C# API trims the trailing "\r\n" and spaces of MaixPy's texts; scripts see them as the firmware has them.
_TRAILING_SPACE = ('[MAIXPY]kpu: model_addr must > 0', "[MAIXPY]kpu: model format don't match, only supply .kmodel")
_TRAILING_CRLF = ('[MAIXPY]kpu: check img format err!', '[MAIXPY]kpu: first layer not conv layer!',
                  '[MAIXPY]kpu: region_layer_init err!', "[MAIXPY]kpu: can't convet float fmap yet",
                  '[MAIXPY]kpu: check input list format err!')


def firmware_text(msg):
    if msg in _TRAILING_SPACE:
        return msg + ' '
    if msg in _TRAILING_CRLF or msg.startswith('[MAIXPY]kpu: ch err,input 0~'):
        return msg + '\r\n'
    return msg


def call(f, *args):
    """Calls into C#, turning MaixError into MaixPy's ValueError/TypeError/OSError."""
    try:
        return f(*args)
    except Exception as e:
        mapped = maix_error(e)
        if mapped is None:
            raise
        raise mapped from None


def exception_type(e):
    t = getattr(e, 'PythonType', None)
    return str(t) if t is not None else type(e).__name__


def exception_text(e):
    if getattr(e, 'PythonType', None) is not None:
        return str(e.Message)
    return str(e)


def is_int(x):
    """MicroPython's exact int test: bool is not an int here."""
    return type(x) is int


def gc_module():
    m = types.ModuleType('gc')
    m.collect = lambda: None
    m.enable = lambda: None
    m.disable = lambda: None
    m.isenabled = lambda: True
    m.mem_free = lambda: 512 * 1024
    m.mem_alloc = lambda: 64 * 1024
    m.threshold = lambda *a: -1
    return m


def micropython_module():
    m = types.ModuleType('micropython')
    m.const = lambda x: x
    m.opt_level = lambda *a: 0
    m.alloc_emergency_exception_buf = lambda n: None
    m.heap_lock = lambda: None
    m.heap_unlock = lambda: 0
    m.stack_use = lambda: 0
    m.kbd_intr = lambda c: None

    def mem_info(verbose=False):
        print('stack: 0 out of 16384')
        print('GC: total: 589824, used: 65536, free: 524288')

    def qstr_info(verbose=False):
        print('qstr pool: n_pool=0, n_qstr=0, n_str_data_bytes=0, n_total_bytes=0')

    def schedule(f, arg):
        f(arg)
        return True

    m.mem_info = mem_info
    m.qstr_info = qstr_info
    m.schedule = schedule
    return m
