# Loaded into every Ruby snippet (RUBYOPT, the ruby preset): stdout written at once, as on a
# terminal, so that it interleaves with stderr in the order a terminal shows.
$stdout.sync = true
