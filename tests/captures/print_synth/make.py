#!/usr/bin/env python3
"""make.py: packets built from the specifications (not captured) for `synack print`'s
tunnels and link types: IP-in-IP, 6in4, 4in6, 6in6, GRE (key, seq, checksum, over
IPv4 and IPv6, TEB, ERSPAN and WCCP types tcpdump 4.99.3 does not decode), VXLAN,
GENEVE, MPLS, PPPoE session and discovery, VLAN/QinQ around them, every one cut at
many lengths; PPP, PPP in HDLC framing, Cisco HDLC and IP over InfiniBand link
types; VXLAN and GENEVE against every UDP port tcpdump decodes. conformance.py
compares synack print with tcpdump 4.99 on them (plain, -S, -e). Run here to remake.
"""
import struct, sys
def csum(b):
    if len(b)%2: b+=b'\0'
    s=sum(struct.unpack('!%dH'%(len(b)//2),b)); s=(s>>16)+(s&0xffff); s+=s>>16
    return (~s)&0xffff
def ip4(src,dst,proto,payload,ident=1):
    h=struct.pack('!BBHHHBBH4s4s',0x45,0,20+len(payload),ident,0x4000,64,proto,0,bytes(src),bytes(dst))
    h=h[:10]+struct.pack('!H',csum(h))+h[12:]
    return h+payload
def ip6(src,dst,nh,payload):
    return struct.pack('!IHBB',0x60000000,len(payload),nh,64)+bytes(src)+bytes(dst)+payload
def tcp(sp,dp,seq=1000,ack=0,flags=0x02,data=b'',opts=b''):
    off=(20+len(opts))//4
    return struct.pack('!HHIIBBHHH',sp,dp,seq,ack,off<<4,flags,65535,0,0)+opts+data
def udp(sp,dp,data):
    return struct.pack('!HHHH',sp,dp,8+len(data),0)+data
A=[10,0,0,1];B=[10,0,0,2];C=[192,168,1,1];D=[192,168,1,2]
A6=[0x20,1,0xd,0xb8]+[0]*11+[1];B6=[0x20,1,0xd,0xb8]+[0]*11+[2]
C6=[0xfd,0]+[0]*13+[1];D6=[0xfd,0]+[0]*13+[2]
M1=bytes.fromhex('020000000001');M2=bytes.fromhex('020000000002')
M3=bytes.fromhex('0a0000000003');M4=bytes.fromhex('0a0000000004')
def eth(t,p,d=M2,s=M1): return d+s+struct.pack('!H',t)+p
def vlan(tpid,tci,t,p,d=M2,s=M1): return d+s+struct.pack('!HHH',tpid,tci,t)+p
syn=tcp(40000,443,opts=bytes.fromhex('020405b4'))
in4=ip4(C,D,6,syn); in6=ip6(C6,D6,6,syn)
def gre(proto,p,flags=0,key=None,seq=None,ck=False):
    h=struct.pack('!HH',flags,proto)
    if ck: h+=struct.pack('!HH',0x1234,0)
    if key is not None: h+=struct.pack('!I',key)
    if seq is not None: h+=struct.pack('!I',seq)
    return h+p
def write(fn,link,pkts):
    with open(fn,'wb') as f:
        f.write(struct.pack('<IHHiIII',0xa1b2c3d4,2,4,0,0,262144,link))
        for i,p in enumerate(pkts):
            cap=None
            if isinstance(p,tuple): p,cap=p
            c=p[:cap] if cap is not None else p
            f.write(struct.pack('<IIII',1700000000+i,i*1000,len(c),len(p)))
            f.write(c)
def truncs(p,cuts): return [(p,c) for c in cuts]

# --- tunnels over Ethernet
inner_eth=eth(0x0800,in4,M4,M3)
P=[]
P.append(eth(0x0800,ip4(A,B,4,in4)))
P.append(eth(0x0800,ip4(A,B,41,in6)))
P.append(eth(0x86dd,ip6(A6,B6,4,in4)))
P.append(eth(0x86dd,ip6(A6,B6,41,in6)))
P.append(eth(0x0800,ip4(A,B,47,gre(0x0800,in4))))
P.append(eth(0x0800,ip4(A,B,47,gre(0x0800,in4,0x2000,key=100))))
P.append(eth(0x0800,ip4(A,B,47,gre(0x0800,in4,0x1000,seq=7))))
P.append(eth(0x0800,ip4(A,B,47,gre(0x0800,in4,0x8000,ck=True))))
P.append(eth(0x0800,ip4(A,B,47,gre(0x86dd,in6,0xb000,key=5,seq=9,ck=True))))
P.append(eth(0x86dd,ip6(A6,B6,47,gre(0x86dd,in6))))
P.append(eth(0x86dd,ip6(A6,B6,47,gre(0x0800,in4,0x2000,key=1))))
P.append(eth(0x0800,ip4(A,B,47,gre(0x6558,inner_eth))))
P.append(eth(0x0800,ip4(A,B,47,gre(0x6558,inner_eth,0x2000,key=42))))
# erspan II: seq present, 0x88be, 8-byte header ver=1
er2=struct.pack('!HHI',0x1000|100,0x0000|5,0)
P.append(eth(0x0800,ip4(A,B,47,gre(0x88be,er2+inner_eth,0x1000,seq=3))))
# erspan I: no seq
P.append(eth(0x0800,ip4(A,B,47,gre(0x88be,inner_eth))))
# erspan III 0x22eb 12 bytes ver=2
er3=struct.pack('!HHII',0x2000|100,5,123456,0)
P.append(eth(0x0800,ip4(A,B,47,gre(0x22eb,er3+inner_eth,0x1000,seq=4))))
# wccp with redirect header, and plain
P.append(eth(0x0800,ip4(A,B,47,gre(0x883e,bytes([0x80,1,2,3])+in4))))
P.append(eth(0x0800,ip4(A,B,47,gre(0x883e,in4))))
# vxlan
vx=struct.pack('!II',0x08000000,100<<8)
P.append(eth(0x0800,ip4(A,B,17,udp(5555,4789,vx+inner_eth))))
# geneve w/o and with options
gn=struct.pack('!BBHI',0,0,0x6558,200<<8)
P.append(eth(0x0800,ip4(A,B,17,udp(5555,6081,gn+inner_eth))))
gno=struct.pack('!BBHI',2,0,0x6558,200<<8)+struct.pack('!HBB',0x0102,3,1)+b'\x01\x02\x03\x04'
P.append(eth(0x0800,ip4(A,B,17,udp(5555,6081,gno+inner_eth))))
gn4=struct.pack('!BBHI',0,0,0x0800,300<<8)
P.append(eth(0x0800,ip4(A,B,17,udp(5555,6081,gn4+in4))))
# mpls
def mpls(labels,p):
    h=b''
    for i,(l,tc,ttl) in enumerate(labels):
        h+=struct.pack('!I',(l<<12)|(tc<<9)|((1 if i==len(labels)-1 else 0)<<8)|ttl)
    return h+p
P.append(eth(0x8847,mpls([(100,0,64)],in4)))
P.append(eth(0x8847,mpls([(100,0,64),(200,5,63)],in4)))
P.append(eth(0x8847,mpls([(100,0,64)],in6)))
P.append(eth(0x8847,mpls([(100,0,64),(16,0,64)],b'\0\0\0\0'+inner_eth)))
P.append(eth(0x8848,mpls([(300,0,1)],in4)))
# pppoe session
def pppoe(code,sid,p): return struct.pack('!BBHH',0x11,code,sid,len(p))+p
P.append(eth(0x8864,pppoe(0,0x1234,b'\x00\x21'+in4)))
P.append(eth(0x8864,pppoe(0,0x1234,b'\x00\x57'+in6)))
P.append(eth(0x8863,pppoe(0x09,0,struct.pack('!HH',0x0101,0)+struct.pack('!HH',0x0103,4)+b'abcd')))
# vlan / qinq with tunnel
P.append(vlan(0x8100,100,0x0800,ip4(A,B,47,gre(0x0800,in4))))
P.append(vlan(0x88a8,(3<<13)|10,0x8100)[:0] if False else (M2+M1+struct.pack('!HHHHH',0x88a8,(3<<13)|10,0x8100,20,0x0800)+ip4(A,B,17,udp(5555,4789,vx+inner_eth))))
# inner vlan in vxlan
ivl=vlan(0x8100,7,0x0800,in4,M4,M3)
P.append(eth(0x0800,ip4(A,B,17,udp(5555,4789,vx+ivl))))
P.append(eth(0x0800,ip4(A,B,17,udp(5555,4789,vx+eth(0x0806,bytes.fromhex('0001080006040001')+M3+bytes(C)+bytes(6)+bytes(D),M4,M3)))))
write('tunnels.pcap',1,P)
# truncations
T=[]
for p in P:
    for cut in (14+20+2,14+20+4,14+20+8,14+20+12,14+20+16,14+20+24,14+20+30,14+20+40,14+20+50, 14+4, 14+6, 14+10, 14+24,14+44):
        if cut<len(p): T.append((p,cut))
write('tunnels_cut.pcap',1,T)

# --- link types
import struct
def P(l): return l
ppp=[b'\xff\x03\x00\x21'+in4, b'\xff\x03\x00\x57'+in6, b'\x00\x21'+in4, b'\x21'+in4, b'\xff\x03\x02\x81'+struct.pack('!I',(5<<12)|0x100|64)+in4]
write('ppp.pcap',9,ppp+[(p,c) for p in ppp for c in (1,2,3,4,5,10,30)])
hd=[b'\xff\x03\x00\x21'+in4, b'\xff\x03\x00\x57'+in6, b'\x0f\x00\x08\x00'+in4, b'\x01\x02\x00\x21'+in4]
write('ppphdlc.pcap',50,hd+[(p,c) for p in hd for c in (1,2,3,4,5,10,30)])
ch=[b'\x0f\x00\x08\x00'+in4, b'\x8f\x00\x86\xdd'+in6, b'\x0f\x00\x88\x47'+struct.pack('!I',(5<<12)|0x100|64)+in4, b'\x0f\x00\x12\x34abcd']
write('chdlc.pcap',104,ch+[(p,c) for p in ch for c in (1,2,3,4,5,10,30)])
ib=[bytes(40)+b'\x08\x00\x00\x00'+in4, bytes(40)+b'\x86\xdd\x00\x00'+in6, bytes(40)+b'\x12\x34\x00\x00abcdef']
write('ipoib.pcap',242,ib+[(p,c) for p in ib for c in (1,40,43,44,45,60)])

# --- UDP ports
ports=[53,67,68,69,88,123,161,162,319,320,496,500,514,520,521,525,546,547,646,654,698,701,750,921,1589,1645,1646,1700,1701,1812,1813,2103,2104,3503,3799,4342,4500,4790,5060,5353,5359,6343,6635,6696,6697,7000,7009,7500,8231,8472,8500,12222,12223,17754,30490,1985,3456,3784,3785,4567,4784,6784,49152,2049,200,770]
vx=struct.pack('!II',0x08000000,100<<8)+eth(0x0800,in4,M4,M3)
P=[]
for tp in (4789,6081):
  for p in ports:
    P.append(eth(0x0800,ip4(A,B,17,udp(p,tp,vx))))
    P.append(eth(0x0800,ip4(A,B,17,udp(tp,p,vx))))
  P.append(eth(0x0800,ip4(A,B,17,udp(4789,6081,vx))))
  P.append(eth(0x0800,ip4(A,B,17,udp(6081,4789,vx))))
write('udp_tunnel_ports.pcap',1,P)

# --- an inner frame's length against what was captured

ie=eth(0x0800,in4,M4,M3)
vx=struct.pack('!II',0x08000000,100<<8)
P=[]
u=udp(5555,4789,vx+ie); u=u[:4]+struct.pack('!H',8+8+10)+u[6:]
P.append(eth(0x0800,ip4(A,B,17,u)))                      # a: UDP length short
P.append((eth(0x0800,ip4(A,B,17,udp(5555,4789,vx+ie))),14+20+8+8+10))  # b: caplen short
g=ip4(A,B,47,gre(0x6558,ie)); g=g[:2]+struct.pack('!H',20+4+10)+g[4:]
P.append(eth(0x0800,g))                                   # c: IP length short
P.append((eth(0x0800,ip4(A,B,47,gre(0x6558,ie))),14+20+4+10))  # d: caplen short
write('inner_lengths.pcap',1,P)
