mod count;

fn main() {
    let text = "the quick brown fox jumps over the lazy dog the end";
    // #region top
    for (word, n) in count::top_words(text, 3) {
        println!("{word:>6} {n}");
    }
    // #endregion
}
