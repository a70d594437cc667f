#include <iostream>
#include <stdexcept>
#include <vector>

int main() {
    std::vector<int> values{1, 2, 3};
    try {
        std::cout << values.at(3) << '\n';
    } catch (const std::out_of_range& error) {
        std::cerr << "out of range: index 3 of " << values.size() << '\n';
        return 2;
    }
}
