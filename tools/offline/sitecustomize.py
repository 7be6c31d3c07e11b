"""Network guard for notebook kernels and tests: with COURSE_OFFLINE=1, any connection to a host
other than this machine fails at once with a clear OSError (no hang, no silent download).

It is put on PYTHONPATH by tests/conftest.py and tools/nbrun.py, so every Python process they start
(notebook kernels included) imports it at start-up. Loopback stays open: Jupyter kernels talk to
their clients over localhost.
"""
import os

if os.environ.get("COURSE_OFFLINE") == "1":
    import errno
    import ipaddress
    import socket

    _connect, _connect_ex, _getaddrinfo = (socket.socket.connect, socket.socket.connect_ex,
                                           socket.getaddrinfo)
    _LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}

    def _is_local(host) -> bool:
        if isinstance(host, bytes):
            host = host.decode()
        if host is None or str(host).lower() in _LOCAL_NAMES:
            return True
        try:
            return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
        except ValueError:
            return False

    def _blocked(what):
        return OSError(errno.ENETUNREACH, f"network is off (COURSE_OFFLINE=1): {what} was blocked. "
                       "The course runs offline; full datasets need a network and FULL=True.")

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
            raise _blocked(f"connection to {address[0]}:{address[1]}")
        return _connect(self, address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
            return errno.ENETUNREACH
        return _connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_local(host):
            raise socket.gaierror(socket.EAI_NONAME, f"network is off (COURSE_OFFLINE=1): "
                                  f"looking up {host!r} was blocked")
        return _getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = (connect, connect_ex,
                                                                           getaddrinfo)
