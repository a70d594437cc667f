import java.util.List;

public class Hello {
    // #region records
    record Point(int x, int y) {
        int distance() { return Math.abs(x) + Math.abs(y); }
    }
    // #endregion

    public static void main(String[] args) {
        for (Point p : List.of(new Point(1, 2), new Point(-3, 4))) {
            System.out.println(p + " is " + p.distance() + " away");
        }
    }
}
