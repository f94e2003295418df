# Board modules (Maix, fpioa_manager, board, machine): harmless stand-ins that say once that they are simulated.
import types
import _maixpy_mpy as _m


class _Sim:
    """Any attribute is another stand-in, any call returns one; as a number it is 0."""

    def __init__(self, name):
        object.__setattr__(self, '_name', name)

    def __getattr__(self, attr):
        if attr.startswith('__'):
            raise AttributeError(attr)
        return _Sim(self._name + '.' + attr)

    def __setattr__(self, attr, value):
        object.__setattr__(self, attr, value)

    def __call__(self, *args, **kwargs):
        root = '.'.join(part.split('(')[0] for part in self._name.split('.')[:2])
        _m.notice('board:' + root, '%s is simulated on the desktop: its calls do nothing' % root)
        return _Sim(self._name + '()')

    def __int__(self):
        return 0

    def __index__(self):
        return 0

    def __float__(self):
        return 0.0

    def __bool__(self):
        return False

    def __eq__(self, other):
        return other is self or other == 0

    def __hash__(self):
        return hash(self._name)

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0

    def __repr__(self):
        return '<simulated %s>' % self._name


def _module(name, **attrs):
    m = types.ModuleType(name)
    sim = _Sim(name)
    m.__getattr__ = lambda attr: getattr(sim, attr)
    for k, v in attrs.items():
        setattr(m, k, v)
    return m


class _Freq:
    @staticmethod
    def get():
        return (400, 400)

    @staticmethod
    def get_cpu():
        return 400

    @staticmethod
    def get_kpu():
        return 400

    @staticmethod
    def set(cpu=400, pll1=400, kpu_div=1):
        _m.notice('board:Maix.freq', 'Maix.freq.set is simulated: clocks stay at 400 MHz')


class _Utils:
    @staticmethod
    def gc_heap_size(size=None):
        return 512 * 1024

    @staticmethod
    def heap_free():
        return 2 * 1024 * 1024


def modules():
    maix = _module('Maix', GPIO=_Sim('Maix.GPIO'), FPIOA=_Sim('Maix.FPIOA'), I2S=_Sim('Maix.I2S'),
                   FFT=_Sim('Maix.FFT'), Audio=_Sim('Maix.Audio'), freq=_Freq(), utils=_Utils())
    fpioa_manager = _module('fpioa_manager', fm=_Sim('fpioa_manager.fm'))
    board = _module('board', board_info=_Sim('board.board_info'))
    machine = _module('machine', UART=_Sim('machine.UART'), I2C=_Sim('machine.I2C'), SPI=_Sim('machine.SPI'),
                      Timer=_Sim('machine.Timer'), PWM=_Sim('machine.PWM'), WDT=_Sim('machine.WDT'),
                      Pin=_Sim('machine.Pin'), freq=lambda *a: 400000000,
                      unique_id=lambda: b'\x00' * 32, reset=_Sim('machine.reset'))
    return {'Maix': maix, 'fpioa_manager': fpioa_manager, 'board': board, 'machine': machine,
            'utils': _module('utils')}
