public class Greeter {
    private final String from;

    public Greeter(String from) {
        this.from = from;
    }

    public String greet(String name) {
        return "hello " + name + ", from " + from;
    }
}
