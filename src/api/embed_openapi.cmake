# Generates openapi_data.cpp holding docs/openapi.json as a raw string.
file(READ "${INPUT}" CONTENT)
file(WRITE "${OUTPUT}.tmp" "#include \"api/openapi.hpp\"\nnamespace visor::api {\nstd::string_view openapi_json() {\n  static constexpr std::string_view doc = R\"OPENAPI(${CONTENT})OPENAPI\";\n  return doc;\n}\n}  // namespace visor::api\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
