fn main() {
    let names = vec![String::from("ada"), String::from("grace")];
    let first = &names[0];
    let moved = names;
    println!("{} {:?}", first, moved);
    let count: u32 = "two";
}
