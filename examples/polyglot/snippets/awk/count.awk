# region sum
{ total[$1] += $2 }
END { for (name in total) print name, total[name] | "sort" }
# endregion
