package main

import (
	"fmt"
	"os"
)

func main() {
	_, err := os.Open("missing.txt")
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(4)
	}
}
