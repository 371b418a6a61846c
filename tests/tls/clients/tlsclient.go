// tlsclient.go - a minimal Go crypto/tls client for the tests/tls captures
// (standard library only). Built at capture time with `go build` in the
// scenario's temp dir (GOCACHE, GOPATH there; GOFLAGS=-mod=mod GOPROXY=off).
//
//	tlsclient -addr 203.0.113.20:443 -sni www.example.test -ca ca.pem -tls 1.3|1.2 [-keylog FILE]
//
// Verifies the server's certificate against -ca and the name -sni, with
// exactly one protocol version enabled; the key log (NSS format) is written
// through tls.Config.KeyLogWriter. On success it sends "GET /hello.txt
// HTTP/1.0", prints the reply and exits 0; on failure it prints
// "tlsclient: <error>" on stderr and exits 1. Every step has a deadline (5 s).
package main

import (
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

func fail(err error) {
	fmt.Fprintf(os.Stderr, "tlsclient: %v\n", err)
	os.Exit(1)
}

func main() {
	addr := flag.String("addr", "203.0.113.20:443", "server address")
	sni := flag.String("sni", "www.example.test", "server name (SNI and verification)")
	ca := flag.String("ca", "", "PEM file of trusted CAs")
	ver := flag.String("tls", "1.3", "protocol version: 1.3 or 1.2")
	keylog := flag.String("keylog", "", "key log file (NSS format)")
	flag.Parse()

	pool := x509.NewCertPool()
	pem, err := os.ReadFile(*ca)
	if err != nil {
		fail(err)
	}
	if !pool.AppendCertsFromPEM(pem) {
		fail(fmt.Errorf("no certificate in %s", *ca))
	}
	cfg := &tls.Config{ServerName: *sni, RootCAs: pool}
	switch *ver {
	case "1.3":
		cfg.MinVersion, cfg.MaxVersion = tls.VersionTLS13, tls.VersionTLS13
	case "1.2":
		cfg.MinVersion, cfg.MaxVersion = tls.VersionTLS12, tls.VersionTLS12
	default:
		fail(fmt.Errorf("-tls %q: want 1.3 or 1.2", *ver))
	}
	if *keylog != "" {
		f, err := os.OpenFile(*keylog, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
		if err != nil {
			fail(err)
		}
		defer f.Close()
		cfg.KeyLogWriter = f
	}
	d := net.Dialer{Timeout: 5 * time.Second}
	c, err := tls.DialWithDialer(&d, "tcp", *addr, cfg)
	if err != nil {
		fail(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	st := c.ConnectionState()
	fmt.Printf("tlsclient: handshake done: %s %s\n", tls.CipherSuiteName(st.CipherSuite), *sni)
	if _, err := io.WriteString(c, "GET /hello.txt HTTP/1.0\r\nHost: "+*sni+"\r\n\r\n"); err != nil {
		fail(err)
	}
	if _, err := io.Copy(os.Stdout, c); err != nil {
		fail(err)
	}
}
