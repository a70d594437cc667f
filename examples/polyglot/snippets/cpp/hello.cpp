#include <iostream>
#include <string>
#include <vector>

// #region sum
template <typename T>
T sum(const std::vector<T>& values) {
    T total{};
    for (const auto& value : values) total += value;
    return total;
}
// #endregion

int main() {
    std::cout << "sum of ints: " << sum(std::vector<int>{1, 2, 3}) << '\n';
    std::cout << "sum of strings: " << sum(std::vector<std::string>{"a", "b", "c"}) << '\n';
}
