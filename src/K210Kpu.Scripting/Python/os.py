# MicroPython's os/uos with /sd and /flash mapped to host folders.
import os as _host
import builtins as _builtins

sep = '/'
_cwd = ['/sd' if _bridge.HasSd else '/flash']


def _virtual(path):
    path = str(path)
    if not path.startswith('/'):
        path = _cwd[0].rstrip('/') + '/' + path
    parts = []
    for p in path.split('/'):
        if p in ('', '.'):
            continue
        if p == '..':
            if parts:
                parts.pop()
            continue
        parts.append(p)
    return '/' + '/'.join(parts)


def host_path(path):
    """The host path behind a MaixPy path; OSError(ENOENT) outside /sd and /flash."""
    v = _virtual(path)
    for root, host in (('/sd', _bridge.SdRoot), ('/flash', _bridge.FlashRoot)):
        if v == root or v.startswith(root + '/'):
            return _host.path.join(str(host), v[len(root):].lstrip('/'))
    raise OSError(2, 'ENOENT')


def _wrap(f, *args):
    try:
        return f(*args)
    except FileNotFoundError:
        raise OSError(2, 'ENOENT') from None
    except FileExistsError:
        raise OSError(17, 'EEXIST') from None


def listdir(path='.'):
    if _virtual(path) == '/':
        return ['flash', 'sd'] if _bridge.HasSd else ['flash']
    return sorted(_wrap(_host.listdir, host_path(path)))


def ilistdir(path='.'):
    for name in listdir(path):
        full = _virtual(path).rstrip('/') + '/' + name
        yield (name, 0x4000 if _host.path.isdir(host_path(full)) else 0x8000, 0, 0)


def stat(path):
    s = _wrap(_host.stat, host_path(path))
    return (0x4000 if _host.path.isdir(host_path(path)) else 0x8000, 0, 0, 0, 0, 0, s.st_size,
            int(s.st_mtime), int(s.st_mtime), int(s.st_mtime))


def statvfs(path):
    return (4096, 4096, 4096, 2048, 2048, 0, 0, 0, 0, 255)


def remove(path):
    _wrap(_host.remove, host_path(path))


def rename(old, new):
    _wrap(_host.rename, host_path(old), host_path(new))


def mkdir(path):
    _wrap(_host.mkdir, host_path(path))


def rmdir(path):
    _wrap(_host.rmdir, host_path(path))


def getcwd():
    return _cwd[0]


def chdir(path):
    v = _virtual(path)
    if v != '/' and not _host.path.isdir(host_path(v)):
        raise OSError(2, 'ENOENT')
    _cwd[0] = v


def sync():
    pass


def urandom(n):
    return _host.urandom(n)


def uname():
    class _Uname(tuple):
        sysname = property(lambda s: s[0])
        nodename = property(lambda s: s[1])
        release = property(lambda s: s[2])
        version = property(lambda s: s[3])
        machine = property(lambda s: s[4])
    return _Uname(('MaixPy', 'MaixPy', '0.6.2', 'v0.6.2 on desktop (K210Kpu)', 'Sipeed_M1 with kendryte-k210'))


def open_file(file, mode='r', *args, **kwargs):
    """builtins.open for scripts: MaixPy paths map to host folders."""
    if isinstance(file, int):
        return _builtins.open(file, mode, *args, **kwargs)
    return _wrap(_builtins.open, host_path(file), mode, *args, **kwargs)


class path:
    """os.path as far as scripts use it."""

    @staticmethod
    def exists(p):
        try:
            return _host.path.exists(host_path(p))
        except OSError:
            return False

    @staticmethod
    def join(*parts):
        return '/'.join(str(p).rstrip('/') for p in parts)
