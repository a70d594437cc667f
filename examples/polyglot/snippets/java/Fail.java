public class Fail {
    public static void main(String[] args) {
        Object value = "forty-two";
        Integer number = (Integer) value;
        System.out.println(number);
    }
}
