package main

import "fmt"

// #region worker
func worker(id int, results chan<- string) {
	results <- fmt.Sprintf("worker %d done", id)
}

// #endregion

func main() {
	results := make(chan string)
	for id := 1; id <= 3; id++ {
		go worker(id, results)
	}
	done := map[string]bool{}
	for i := 0; i < 3; i++ {
		done[<-results] = true
	}
	fmt.Println(len(done), "workers finished")
}
