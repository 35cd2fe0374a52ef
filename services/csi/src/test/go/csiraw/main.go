// csiraw calls one gRPC method over a unix socket with Go's gRPC implementation, the one kubelet, the CSI
// sidecars and csi-sanity use, so tests can prove the Java server speaks to it. Messages travel as raw bytes
// (hex on the command line and on stdout): the Java test encodes requests and decodes answers with the generated
// classes, so this program needs no generated code.
//
// Usage: csiraw [-authority NAME] SOCKET /package.Service/Method REQUEST_HEX
// Prints "OK <response hex>" or "ERR <grpc code number> <message>" and exits 0; exits 2 on a usage or
// connection error.
package main

import (
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"net"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// rawCodec hands bytes through unchanged, so any message can be sent without its Go type.
type rawCodec struct{}

func (rawCodec) Marshal(v interface{}) ([]byte, error) { return *(v.(*[]byte)), nil }
func (rawCodec) Unmarshal(data []byte, v interface{}) error {
	*(v.(*[]byte)) = append([]byte(nil), data...)
	return nil
}
func (rawCodec) Name() string { return "proto" }

func main() {
	authority := flag.String("authority", "", "the :authority to send (default: what grpc-go derives from the target)")
	flag.Parse()
	if flag.NArg() != 3 {
		fmt.Fprintln(os.Stderr, "usage: csiraw [-authority NAME] SOCKET METHOD REQUEST_HEX")
		os.Exit(2)
	}
	socket, method := flag.Arg(0), flag.Arg(1)
	request, err := hex.DecodeString(flag.Arg(2))
	if err != nil {
		fmt.Fprintln(os.Stderr, "bad request hex:", err)
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// The way CSI sidecars dial: a passthrough target with a dialer that opens the unix socket.
	options := []grpc.DialOption{
		grpc.WithInsecure(),
		grpc.WithBlock(),
		grpc.WithContextDialer(func(ctx context.Context, target string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", target)
		}),
	}
	if *authority != "" {
		options = append(options, grpc.WithAuthority(*authority))
	}
	conn, err := grpc.DialContext(ctx, "passthrough:///"+socket, options...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dial:", err)
		os.Exit(2)
	}
	defer conn.Close()
	var response []byte
	err = conn.Invoke(ctx, method, &request, &response, grpc.ForceCodec(rawCodec{}))
	if err != nil {
		st := status.Convert(err)
		fmt.Printf("ERR %d %s\n", int(st.Code()), st.Message())
		return
	}
	fmt.Printf("OK %s\n", hex.EncodeToString(response))
}
