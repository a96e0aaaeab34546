"""The TCP helpers the embedded services rely on."""

import socket

from devstack.net import free_port, port_open


def test_free_port_is_free_and_port_open_sees_a_listener():
    port = free_port()
    assert not port_open("127.0.0.1", port)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
        sock.listen()
        assert port_open("127.0.0.1", port)
