# MicroPython's time/utime on the simulated board clock (C# SimulatedClock): it advances by the time the
# board would spend in model runs, camera frames, LCD transfers and sleeps, never by host time.
import time as _host

_EPOCH_2000 = 946684800


def ticks_us():
    return int(_bridge.TicksUs())


def ticks_ms():
    return int(_bridge.TicksUs()) // 1000


def ticks_cpu():
    return int(_bridge.TicksUs()) * 400


def ticks_diff(end, start):
    return end - start


def ticks_add(ticks, delta):
    return ticks + delta


# A script that only sleeps (waiting for a button, say) would never end: stop it after a simulated day.
_DAY_US = 24 * 3600 * 1000000


def _sleep_us(us):
    _bridge.Sleep(us)
    if _bridge.TicksUs() > _DAY_US:
        _bridge.EndRun('simulated time limit (24 h)')
        raise _ScriptEnd()


def sleep(seconds):
    _sleep_us(float(seconds) * 1e6)


def sleep_ms(ms):
    _sleep_us(float(ms) * 1e3)


def sleep_us(us):
    _sleep_us(float(us))


def time():
    return int(_bridge.TicksUs()) // 1000000


def time_ns():
    return int(_bridge.TicksUs()) * 1000


def localtime(secs=None):
    t = _host.gmtime(_EPOCH_2000 + (time() if secs is None else secs))
    return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, t.tm_wday, t.tm_yday)


def mktime(t):
    import calendar
    return calendar.timegm(tuple(t[:6]) + (0, 0, 0)) - _EPOCH_2000


class clock:
    """MaixPy's time.clock(): tick() marks a frame start, fps() the rate since it (never divides by zero)."""

    def __init__(self):
        self._start = ticks_us()
        self._last = 0

    def tick(self):
        self._start = ticks_us()

    def _elapsed_ms(self):
        self._last = max(ticks_us() - self._start, 1) / 1000.0
        return self._last

    def fps(self):
        return 1000.0 / self._elapsed_ms()

    def avg(self):
        return self._elapsed_ms()

    def reset(self):
        self._start = ticks_us()

    def __repr__(self):
        return '<Clock ticks:%d>' % ticks_ms()
