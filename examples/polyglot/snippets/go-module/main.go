package main

import (
	"fmt"

	"example.com/polyglot/stats"
)

func main() {
	// #region mean
	values := []float64{2, 4, 4, 4, 5, 5, 7, 9}
	fmt.Printf("mean %.2f, deviation %.2f\n", stats.Mean(values), stats.Deviation(values))
	// #endregion
}
