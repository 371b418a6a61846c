// tlsserver.go - a minimal Go crypto/tls server for the tests/tls captures
// (standard library only). Built at capture time with `go build` in the
// scenario's temp dir (GOCACHE, GOPATH there; GOFLAGS=-mod=mod GOPROXY=off).
//
//	tlsserver -addr 203.0.113.20:443 -cert server.pem -key server.key [-ca ca.pem] -tls 1.3|1.2
//
// Serves ONE connection and exits. With -ca it requires a client certificate
// from that CA (tls.Config.ClientAuth = RequireAndVerifyClientCert). After a
// handshake it reads one request and answers a fixed HTTP/1.0 reply; a
// failed handshake is printed as "tlsserver: <error>" on stderr (exit 1).
// Accept and every read and write have deadlines (10 s, 5 s).
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
	fmt.Fprintf(os.Stderr, "tlsserver: %v\n", err)
	os.Exit(1)
}

func main() {
	addr := flag.String("addr", "203.0.113.20:443", "address to listen on")
	certf := flag.String("cert", "", "certificate (PEM)")
	keyf := flag.String("key", "", "private key (PEM)")
	ca := flag.String("ca", "", "require a client certificate from this CA (PEM)")
	ver := flag.String("tls", "1.3", "protocol version: 1.3 or 1.2")
	flag.Parse()

	cert, err := tls.LoadX509KeyPair(*certf, *keyf)
	if err != nil {
		fail(err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	switch *ver {
	case "1.3":
		cfg.MinVersion, cfg.MaxVersion = tls.VersionTLS13, tls.VersionTLS13
	case "1.2":
		cfg.MinVersion, cfg.MaxVersion = tls.VersionTLS12, tls.VersionTLS12
	default:
		fail(fmt.Errorf("-tls %q: want 1.3 or 1.2", *ver))
	}
	if *ca != "" {
		pem, err := os.ReadFile(*ca)
		if err != nil {
			fail(err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			fail(fmt.Errorf("no certificate in %s", *ca))
		}
		cfg.ClientCAs = pool
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fail(err)
	}
	ln.(*net.TCPListener).SetDeadline(time.Now().Add(10 * time.Second))
	raw, err := ln.Accept()
	ln.Close()
	if err != nil {
		fail(err)
	}
	c := tls.Server(raw, cfg)
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if err := c.Handshake(); err != nil {
		fail(err)
	}
	fmt.Fprintf(os.Stderr, "tlsserver: handshake done: %s\n", tls.CipherSuiteName(c.ConnectionState().CipherSuite))
	buf := make([]byte, 4096)
	if _, err := c.Read(buf); err != nil && err != io.EOF {
		fail(err)
	}
	io.WriteString(c, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello from the synack fixture.\n")
}
