#include <string>

int main() {
    std::string name = 42;
    int count = "three";
    return 0;
}
