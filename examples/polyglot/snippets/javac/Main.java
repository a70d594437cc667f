public class Main {
    public static void main(String[] args) {
        // #region greet
        Greeter greeter = new Greeter("javac");
        System.out.println(greeter.greet("world"));
        // #endregion
    }
}
