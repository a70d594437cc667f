// #region iter
fn squares(limit: u32) -> impl Iterator<Item = u32> {
    (1..=limit).map(|n| n * n)
}
// #endregion

fn main() {
    let all: Vec<u32> = squares(5).collect();
    println!("squares: {:?}", all);
    println!("sum: {}", squares(5).sum::<u32>());
}
