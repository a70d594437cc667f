def greet(name
  puts "hello #{name}"
end
