# region each
%w[ruby perl awk].each_with_index do |name, index|
  puts "#{index + 1}. #{name}"
end
# endregion
