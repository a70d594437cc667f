fn main() {
    let numbers = vec![1, 2, 3];
    let index = numbers.len();
    println!("reading index {}", index);
    println!("{}", numbers[index]);
}
