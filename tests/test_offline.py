"""The notebooks run with the network off: prove the guard is active in a kernel like nbval's."""
import socket
import urllib.error
import urllib.request

import pytest
from jupyter_client.manager import start_new_kernel


def test_guard_blocks_this_process():
    with pytest.raises(OSError, match="network is off"):
        urllib.request.urlopen("http://example.com", timeout=5)
    with pytest.raises(OSError, match="network is off"):
        socket.create_connection(("93.184.215.14", 80), timeout=5)


def test_guard_allows_loopback():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=5)
    client.close(), server.close()


def test_notebook_kernels_are_offline():
    """A kernel started the way nbval starts them inherits the guard."""
    km, kc = start_new_kernel(kernel_name="python3")
    try:
        code = ("import urllib.request\n"
                "try:\n"
                "    urllib.request.urlopen('http://example.com', timeout=5)\n"
                "    print('ONLINE')\n"
                "except OSError as e:\n"
                "    print('OFFLINE', e)\n")
        out = []
        reply = kc.execute_interactive(code, timeout=60, output_hook=lambda m: out.append(m))
        assert reply["content"]["status"] == "ok"
        text = "".join(m["content"].get("text", "") for m in out if m["msg_type"] == "stream")
        assert text.startswith("OFFLINE") and "network is off" in text, text
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
