#!/usr/bin/env python3
"""Sends one Ethernet frame with an ARP request, tagged with an 802.1Q
VLAN or untagged, out of an interface (raw AF_PACKET socket), so tests can
produce tagged traffic on a kernel without the 8021q module.

usage: rawframe.py IFNAME SRC_MAC SRC_IP TARGET_IP VLAN   (VLAN 0: untagged)
"""
import socket
import struct
import sys


def mac_bytes(mac):
    return bytes(int(b, 16) for b in mac.split(':'))


def main():
    ifname, src_mac, src_ip, target_ip, vlan = sys.argv[1:6]
    vlan = int(vlan)
    src = mac_bytes(src_mac)
    arp = struct.pack('!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, 1, src,
                      socket.inet_aton(src_ip), b'\0' * 6,
                      socket.inet_aton(target_ip))
    frame = b'\xff' * 6 + src
    if vlan:
        frame += struct.pack('!HH', 0x8100, vlan)
    frame += struct.pack('!H', 0x0806) + arp
    frame += b'\0' * max(0, 60 - len(frame))
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind((ifname, 0))
        s.send(frame)


if __name__ == '__main__':
    main()
