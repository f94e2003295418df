# Sets up the MaixPy world for one script run. Executed with _bridge (the C# ScriptBridge) and
# _sources (module name -> source text) in its namespace; defines run(path, text) and restore().
import builtins
import sys
import types

_real_import = builtins.__import__
_saved_modules = {}


class ScriptEnd(BaseException):
    """Raised by sensor.snapshot() when the frames are used up: ends the script cleanly."""


def _load(name, source_name=None):
    m = types.ModuleType(name)
    m.__dict__['_bridge'] = _bridge
    m.__dict__['_ScriptEnd'] = ScriptEnd
    src = _sources[source_name or name]
    exec(compile(src, '<maixpy ' + (source_name or name) + '>', 'exec'), m.__dict__)
    return m


def _register(name, module):
    if name not in _saved_modules:
        _saved_modules[name] = sys.modules.get(name)
    sys.modules[name] = module


# Order matters: later modules import the earlier ones.
_mpy = _load('_mpy')
_register('_maixpy_mpy', _mpy)
_time = _load('utime', 'time')
_register('utime', _time)
_os = _load('uos', 'os')
_register('uos', _os)
_gc = _mpy.gc_module()
_micropython = _mpy.micropython_module()
_register('micropython', _micropython)
for _name in ('image', 'sensor', 'lcd', 'KPU'):
    _register(_name, _load(_name))
_boardmods = _load('_board')
for _name, _module in _boardmods.modules().items():
    _register(_name, _module)
for _alias, _target in (('ustruct', 'struct'), ('ujson', 'json'), ('ubinascii', 'binascii'),
                        ('ucollections', 'collections'), ('urandom', 'random'), ('uio', 'io'),
                        ('uerrno', 'errno'), ('uhashlib', 'hashlib'), ('ure', 're')):
    _register(_alias, _real_import(_target))

# What the script's own imports resolve to instead of CPython's modules of the same name.
_OVERRIDES = {'time': _time, 'os': _os, 'gc': _gc}


def _is_script(g):
    if not g:
        return False
    if g.get('__maixpy__'):
        return True
    f = g.get('__file__') or ''
    return f.startswith(_bridge.SdRoot) or f.startswith(_bridge.FlashRoot)


def _import(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and _is_script(globals):
        m = _OVERRIDES.get(name)
        if m is not None:
            return m
    return _real_import(name, globals, locals, fromlist, level)


def _print_exception(exc, file=None):
    import traceback
    text = ''.join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    (file or sys.stdout).write(text)


class _Out:
    def __init__(self):
        self.encoding = 'utf-8'

    def write(self, s):
        if s:
            _bridge.Write(s)
        return len(s)

    def flush(self):
        _bridge.Flush()

    def isatty(self):
        return False


_saved = {}


def run(path, host_path, text):
    """Runs the script; returns (outcome, type name, message, traceback)."""
    _saved['import'] = builtins.__import__
    _saved['stdout'] = sys.stdout
    _saved['path'] = list(sys.path)
    _saved['print_exception'] = getattr(sys, 'print_exception', None)
    builtins.__import__ = _import
    sys.stdout = _Out()
    sys.print_exception = _print_exception
    for p in (_bridge.SdRoot if _bridge.HasSd else None, _bridge.FlashRoot):
        if p and p not in sys.path:
            sys.path.insert(0, p)
    g = {'__name__': '__main__', '__file__': host_path, '__maixpy__': True, '__builtins__': builtins,
         'open': _os.open_file, 'os': _os, 'sys': sys, 'time': _time, 'gc': _gc,
         'machine': sys.modules['machine'], 'board_info': sys.modules['board'].board_info,
         'fm': sys.modules['fpioa_manager'].fm, 'FPIOA': sys.modules['Maix'].FPIOA,
         'GPIO': sys.modules['Maix'].GPIO, 'ide': False}
    try:
        code = compile(text, path, 'exec')
        exec(code, g)
        return ('finished', '', '', '')
    except ScriptEnd:
        return ('frames', '', '', '')
    except SystemExit:
        return ('exit', '', '', '')
    except BaseException as e:
        import traceback
        tb = e.__traceback__
        # Drop the runner's own frame so the traceback starts in the script.
        if tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        lines = traceback.format_exception(type(e), e, tb)
        msg = _mpy.exception_text(e)
        return ('error', _mpy.exception_type(e), msg, ''.join(lines))
    finally:
        g.clear()
        try:
            sys.stdout.flush()
        except Exception:
            pass


def restore():
    builtins.__import__ = _saved.get('import', _real_import)
    if 'stdout' in _saved:
        sys.stdout = _saved['stdout']
    if 'path' in _saved:
        sys.path[:] = _saved['path']
    if _saved.get('print_exception') is None and hasattr(sys, 'print_exception'):
        del sys.print_exception
    for name, old in _saved_modules.items():
        if old is None:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = old
    _saved_modules.clear()
