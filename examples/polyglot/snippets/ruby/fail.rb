def parse(text)
  Integer(text)
end

puts parse("12")
puts parse("twelve")
