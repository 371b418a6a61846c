#!/usr/bin/env python3
"""Load a tiny tc (SCHED_CLS, direct-action) eBPF program that pushes or pops
VLAN tags, and pin it on a bpffs so `tc filter ... bpf da object-pinned PIN`
can attach it. Standard library only (ctypes + the bpf(2) syscall).

Why: this kernel has no 802.1Q module (CONFIG_VLAN_8021Q unset), so VLAN
sub-interfaces cannot be created. The bpf_skb_vlan_push/pop helpers are part
of the core networking code and work without it: the sender's veth egress
pushes the tag(s), the receiver's veth ingress pops them. A tap on either
veth sees the frames tagged (egress taps run after tc egress, ingress taps
before tc ingress; libpcap re-inserts the accelerated tag from auxdata).

  vlanbpf.py push PIN TPID VID [TPID VID ...]   innermost tag first
  vlanbpf.py pop PIN COUNT
"""
import ctypes
import os
import struct
import sys

NR_BPF = 321  # x86_64
BPF_PROG_LOAD, BPF_OBJ_PIN = 5, 6
BPF_PROG_TYPE_SCHED_CLS = 3
FN_SKB_VLAN_PUSH, FN_SKB_VLAN_POP = 18, 19


def insn(code, dst=0, src=0, off=0, imm=0):
    return struct.pack("<BBhi", code, (src << 4) | dst, off, imm)


def mov_reg(dst, src):
    return insn(0xBF, dst, src)


def mov_imm(dst, imm):
    return insn(0xB7, dst, 0, 0, imm)


def call(fn):
    return insn(0x85, 0, 0, 0, fn)


EXIT = insn(0x95)


def program(args):
    code = mov_reg(6, 1)  # r6 = skb
    if args[0] == "push":
        tags = args[2:]
        for i in range(0, len(tags), 2):
            tpid, vid = int(tags[i], 0), int(tags[i + 1], 0)
            be_tpid = struct.unpack("<H", struct.pack(">H", tpid))[0]
            code += mov_reg(1, 6) + mov_imm(2, be_tpid) + mov_imm(3, vid) + call(FN_SKB_VLAN_PUSH)
    elif args[0] == "pop":
        for _ in range(int(args[2])):
            code += mov_reg(1, 6) + call(FN_SKB_VLAN_POP)
    else:
        raise SystemExit(__doc__)
    code += mov_imm(0, 0) + EXIT  # TC_ACT_OK
    return code


def bpf(cmd, attr):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    buf = ctypes.create_string_buffer(attr, 128)
    r = libc.syscall(NR_BPF, cmd, buf, 128)
    if r < 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return r


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    args = sys.argv[1:]
    code = program(args)
    insns = ctypes.create_string_buffer(code, len(code))
    lic = ctypes.create_string_buffer(b"GPL")
    log = ctypes.create_string_buffer(65536)
    attr = struct.pack("<IIQQIIQ", BPF_PROG_TYPE_SCHED_CLS, len(code) // 8,
                       ctypes.addressof(insns), ctypes.addressof(lic),
                       1, len(log), ctypes.addressof(log))
    try:
        fd = bpf(BPF_PROG_LOAD, attr)
    except OSError as e:
        sys.stderr.write("BPF_PROG_LOAD: %s\n%s\n" % (e, log.value.decode(errors="replace")))
        return 1
    path = ctypes.create_string_buffer(args[1].encode())
    bpf(BPF_OBJ_PIN, struct.pack("<QI", ctypes.addressof(path), fd))
    return 0


if __name__ == "__main__":
    sys.exit(main())
