#!/usr/bin/env python3
"""gen_tls_names.py: generate src/tls/tls_names.c from the IANA registry files in data/iana/.

    python3 scripts/gen_tls_names.py > src/tls/tls_names.c     # regenerate
    python3 scripts/gen_tls_names.py --check               # exit 1 if the committed file is stale

Only registered names become table entries. Rows for ranges, "Unassigned" and
"Reserved..." (private use, backward compatibility, GREASE) are skipped; GREASE
values are named by tls_is_grease() in the C code instead. Names are IANA's,
with two mechanical changes:

  - registration bookkeeping in parentheses is dropped: "(renamed from ...)",
    "(TEMPORARY - registered ...)", "(OBSOLETE)". Other parentheses stay
    (e.g. "connection_id (deprecated)", which differs from connection_id).
  - for alerts and handshake types, the "_RESERVED" suffix that RFC 8446 gave
    to values TLS 1.3 no longer uses is dropped (decryption_failed,
    no_renegotiation, server_key_exchange, ...): those values still appear in
    TLS 1.2 and older traffic, under their RFC 5246 / 6066 names.

Protocol versions and alert levels have no IANA registry; they are listed
below with the RFC that defines each.
"""
import csv
import os
import re
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
DATA = os.path.join(ROOT, 'data', 'iana')
OUT = os.path.join(ROOT, 'src', 'tls_names.c')

BOOKKEEPING = re.compile(r'\s+\((?:renamed from|TEMPORARY|OBSOLETE)[^)]*\)$')
NAME_OK = re.compile(r'^[A-Za-z0-9_][A-Za-z0-9_ ().-]*$')


def die(msg):
    sys.stderr.write('gen_tls_names: %s\n' % msg)
    sys.exit(2)


def clean(desc, strip_reserved=False):
    """IANA description -> our name, or None when the row is not a registered name."""
    desc = ' '.join(desc.split())
    if not desc or desc.startswith('Unassigned') or desc.startswith('Reserved'):
        return None
    name = BOOKKEEPING.sub('', desc)
    if strip_reserved and name.endswith('_RESERVED'):
        name = name[:-len('_RESERVED')]
    if not NAME_OK.match(name):
        die('unexpected characters in name %r' % desc)
    return name


def read_csv(fname, parse_value):
    with open(os.path.join(DATA, fname), newline='') as f:
        rows = list(csv.reader(f))
    if rows[0][:2] != ['Value', 'Description']:
        die('%s: unexpected header %r' % (fname, rows[0]))
    out = []
    for row in rows[1:]:
        v = parse_value(row[0])
        name = clean(row[1])
        if v is not None and name is not None:
            out.append((v, name))
    return out


def cipher_value(s):
    m = re.match(r'^0x([0-9A-F]{2}),0x([0-9A-F]{2})$', s)
    return int(m.group(1) + m.group(2), 16) if m else None


def decimal_value(s):
    return int(s) if re.match(r'^[0-9]+$', s) else None


def hex16_value(s):
    return int(s, 16) if re.match(r'^0x[0-9A-F]{4}$', s) else None


def read_xml(fname, strip_reserved):
    root = ET.parse(os.path.join(DATA, fname)).getroot()
    out = []
    for rec in root.findall('record'):
        v = decimal_value(rec.findtext('value', '').strip())
        name = clean(''.join(rec.find('description').itertext()), strip_reserved)
        if v is not None and name is not None:
            out.append((v, name))
    return out


def read_ext_txt(fname):
    # IANA's plain-text table: value in columns 3-14, name in 15-64.
    with open(os.path.join(DATA, fname)) as f:
        lines = f.read().splitlines()
    if 'Extension Name' not in lines[0]:
        die('%s: unexpected header' % fname)
    out = []
    for line in lines[1:]:
        if line[:3] != '   ' or (len(line) > 15 and line[14] != ' '):
            die('%s: column layout changed: %r' % (fname, line))
        v = decimal_value(line[:15].strip())
        name = clean(line[15:65])
        if v is not None and name is not None:
            out.append((v, name))
    return out


def read_supplement(registry):
    with open(os.path.join(DATA, 'supplement.csv'), newline='') as f:
        return [(int(r['value'], 16), clean(r['name']))
                for r in csv.DictReader(f) if r['registry'] == registry]


# Hand-written: no IANA registry. Wire values from each protocol's RFC.
VERSIONS = [
    (0x0002, 'SSL 2.0'),    # SSL 2.0 CLIENT-HELLO version (RFC 6176 prohibits it)
    (0x0300, 'SSL 3.0'),    # RFC 6101
    (0x0301, 'TLS 1.0'),    # RFC 2246
    (0x0302, 'TLS 1.1'),    # RFC 4346
    (0x0303, 'TLS 1.2'),    # RFC 5246
    (0x0304, 'TLS 1.3'),    # RFC 8446
    (0xfefc, 'DTLS 1.3'),   # RFC 9147
    (0xfefd, 'DTLS 1.2'),   # RFC 6347
    (0xfeff, 'DTLS 1.0'),   # RFC 4347
] + [(0x7f00 | n, 'TLS 1.3 draft %d' % n) for n in range(1, 29)] + [
    (0x7e00 | n, 'TLS 1.3 Google experiment %d' % n) for n in range(1, 4)]
# draft-ietf-tls-tls13-N used 0x7f00 + N (deployed in 2017-2018 captures).
# 0x7e01-0x7e03: Google's TLS 1.3 variants of 2017 (Chrome field trials against
# middleboxes): BoringSSL's TLS1_3_EXPERIMENT_VERSION, TLS1_3_EXPERIMENT2_VERSION,
# TLS1_3_EXPERIMENT3_VERSION (enum tls13_variant_t: tls13_experiment, _experiment2,
# _experiment3; ssl/ssl_versions.cc). Draft 18 with a TLS 1.2-shaped ServerHello
# (ssl_is_resumption_experiment, tls13_server.cc), the shape draft 22 then took.

ALERT_LEVELS = [(1, 'warning'), (2, 'fatal')]  # RFC 8446 section 6


def build():
    tables = [
        # enum name, C array, registry title, entries, width of the value
        ('TLS_REG_CIPHER', 'cipher_tab', 'TLS Cipher Suites (tls-parameters-4.csv)',
         read_csv('tls-parameters-4.csv', cipher_value), 4),
        ('TLS_REG_GROUP', 'group_tab', 'TLS Supported Groups (tls-parameters-8.csv)',
         read_csv('tls-parameters-8.csv', decimal_value), 4),
        ('TLS_REG_SIGSCHEME', 'sigscheme_tab', 'TLS SignatureScheme (tls-signaturescheme.csv)',
         read_csv('tls-signaturescheme.csv', hex16_value), 4),
        ('TLS_REG_EXT', 'ext_tab',
         'TLS ExtensionType Values (tls-extensiontype-values-1.txt + supplement.csv)',
         read_ext_txt('tls-extensiontype-values-1.txt') + read_supplement('ext'), 4),
        ('TLS_REG_ALERT', 'alert_tab', 'TLS Alerts (tls-parameters-6.xml)',
         read_xml('tls-parameters-6.xml', True), 2),
        ('TLS_REG_ALERT_LEVEL', 'alert_level_tab', 'AlertLevel (RFC 8446 section 6)',
         ALERT_LEVELS, 2),
        ('TLS_REG_HS_TYPE', 'hs_type_tab', 'TLS HandshakeType (tls-parameters-7.xml)',
         read_xml('tls-parameters-7.xml', True), 2),
        ('TLS_REG_CONTENT_TYPE', 'content_type_tab', 'TLS ContentType (tls-parameters-5.xml)',
         read_xml('tls-parameters-5.xml', False), 2),
        ('TLS_REG_EC_POINT_FORMAT', 'ec_point_format_tab',
         'TLS EC Point Formats (tls-parameters-9.xml)',
         read_xml('tls-parameters-9.xml', False), 2),
        ('TLS_REG_VERSION', 'version_tab', 'protocol versions (RFCs, no IANA registry)',
         VERSIONS, 4),
    ]
    for enum, _, title, entries, width in tables:
        values = [v for v, _ in entries]
        if len(set(values)) != len(values):
            die('%s: duplicate values' % title)
        if not entries:
            die('%s: empty' % title)
        if max(values) >= 1 << (4 * width):
            die('%s: value out of range' % title)
        entries.sort()
    return tables


HEAD = '''\
/* tls_names.c: names of TLS code points, from the IANA registries (generated). */

/*
 * GENERATED FILE: do not edit. Made by scripts/gen_tls_names.py from the
 * registry files in data/iana/ (data/iana/README.md says where and when each
 * came from); the naming rules are in that script. To regenerate:
 *
 *     python3 scripts/gen_tls_names.py > src/tls/tls_names.c
 */
#include <stdio.h>

#include "tls_names.h"
'''

CODE = '''
#define TABLE(t) { t, sizeof(t) / sizeof((t)[0]) }

static const struct {
	const struct tls_name *tab;
	size_t n;
} registries[TLS_REG_COUNT] = {
%(index)s
};

const struct tls_name *tls_registry_table(enum tls_registry reg, size_t *n)
{
	if ((unsigned)reg >= TLS_REG_COUNT) {
		*n = 0;
		return NULL;
	}
	*n = registries[reg].n;
	return registries[reg].tab;
}

/* Binary search: every table is sorted by value (the unit test checks it). */
static const char *lookup(enum tls_registry reg, uint16_t v)
{
	const struct tls_name *tab = registries[reg].tab;
	size_t lo = 0, hi = registries[reg].n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tab[mid].value == v)
			return tab[mid].name;
		if (tab[mid].value < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const char *lookup16(enum tls_registry reg, uint16_t v)
{
	return tls_is_grease(v) ? "GREASE" : lookup(reg, v);
}

const char *tls_version_name(uint16_t v) { return lookup16(TLS_REG_VERSION, v); }
const char *tls_cipher_name(uint16_t v) { return lookup16(TLS_REG_CIPHER, v); }
const char *tls_group_name(uint16_t v) { return lookup16(TLS_REG_GROUP, v); }
const char *tls_sigscheme_name(uint16_t v) { return lookup16(TLS_REG_SIGSCHEME, v); }
const char *tls_ext_name(uint16_t v) { return lookup16(TLS_REG_EXT, v); }
const char *tls_alert_name(uint8_t v) { return lookup(TLS_REG_ALERT, v); }
const char *tls_alert_level_name(uint8_t v) { return lookup(TLS_REG_ALERT_LEVEL, v); }
const char *tls_hs_type_name(uint8_t v) { return lookup(TLS_REG_HS_TYPE, v); }
const char *tls_content_type_name(uint8_t v) { return lookup(TLS_REG_CONTENT_TYPE, v); }
const char *tls_ec_point_format_name(uint8_t v) { return lookup(TLS_REG_EC_POINT_FORMAT, v); }

const char *tls_name_or_hex(const char *name, uint16_t v, char buf[TLS_NAME_BUFSZ])
{
	if (name != NULL)
		return name;
	snprintf(buf, TLS_NAME_BUFSZ, "0x%%04x", (unsigned)v);
	return buf;
}
'''


def render(tables):
    out = [HEAD]
    for enum, arr, title, entries, width in tables:
        out.append('\n/* %s: %d names. */\n' % (title, len(entries)))
        out.append('static const struct tls_name %s[] = {\n' % arr)
        fmt = '\t{ 0x%%0%dx, "%%s" },\n' % width
        for v, name in entries:
            out.append(fmt % (v, name))
        out.append('};\n')
    index = '\n'.join('\t[%s] = TABLE(%s),' % (e, a) for e, a, _, _, _ in tables)
    out.append(CODE % {'index': index})
    return ''.join(out)


def main():
    text = render(build())
    if sys.argv[1:] == ['--check']:
        with open(OUT) as f:
            if f.read() != text:
                sys.stderr.write('gen_tls_names: %s is stale; regenerate it\n' % OUT)
                sys.exit(1)
        return
    if sys.argv[1:]:
        die('usage: gen_tls_names.py [--check]')
    sys.stdout.write(text)


if __name__ == '__main__':
    main()
