# Generates openapi_data.cpp holding docs/openapi.json as a raw string.
file(READ "${INPUT}" CONTENT)
file(WRITE "${OUTPUT}.tmp" "#include \"api/openapi.hpp\"\nnamespace visor::api {\nstd::string_view openapi_json() {\n  // An array, not a constexpr string_view: its length is known without\n  // counting (past 262,144 characters g++ refuses to count at compile time).\n  static constexpr char doc[] = R\"OPENAPI(${CONTENT})OPENAPI\";\n  return {doc, sizeof doc - 1};\n}\n}  // namespace visor::api\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
