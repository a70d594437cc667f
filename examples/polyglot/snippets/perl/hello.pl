use strict;
use warnings;

# region hash
my %ages = (ada => 36, grace => 85);
for my $name (sort keys %ages) {
    printf "%-6s %d\n", $name, $ages{$name};
}
# endregion
