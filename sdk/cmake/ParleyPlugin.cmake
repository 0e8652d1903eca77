# parley_add_plugin(<target> MANIFEST plugin.toml SOURCES a.cpp ... [OUTPUT_DIR dir] [STATIC])
#
# Builds a loadable plugin module: hidden visibility, only `parley_plugin_entry`
# exported (version script), built without STB_GNU_UNIQUE symbols so that the
# module really unloads, and places plugin.toml next to the library:
#   <OUTPUT_DIR>/<id>/plugin.toml
#   <OUTPUT_DIR>/<id>/lib<target>.so
# The plugin id is read from the manifest. With STATIC, it also builds
# <target>-static, an archive whose entry is parley_plugin_entry_<id>, for hosts
# that embed the feature without loading files.
#
# Works from the source tree (include(sdk/cmake/ParleyPlugin.cmake)) and from an
# install (find_package(Parley) includes it from <prefix>/lib/cmake/Parley, where
# parley-plugin.map is installed next to this file). The map is located from the
# function's own file, so it is found whatever scope or directory calls it.
include_guard(GLOBAL)

function(_parley_manifest_id manifest out)
  file(STRINGS ${manifest} _line REGEX "^id[ \t]*=")
  string(REGEX REPLACE "^id[ \t]*=[ \t]*\"([^\"]*)\".*" "\\1" _id "${_line}")
  set(${out} ${_id} PARENT_SCOPE)
endfunction()

function(parley_add_plugin target)
  cmake_parse_arguments(ARG "STATIC" "MANIFEST;OUTPUT_DIR" "SOURCES" ${ARGN})
  set(_map ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/parley-plugin.map)
  if(NOT EXISTS ${_map})
    message(FATAL_ERROR "parley_add_plugin: ${_map} is missing; reinstall the Parley SDK")
  endif()
  if(NOT TARGET Parley::sdk)
    message(FATAL_ERROR "parley_add_plugin: target Parley::sdk is not defined; call find_package(Parley) first")
  endif()
  if(NOT ARG_MANIFEST)
    set(ARG_MANIFEST ${CMAKE_CURRENT_SOURCE_DIR}/plugin.toml)
  endif()
  get_filename_component(ARG_MANIFEST ${ARG_MANIFEST} ABSOLUTE)
  _parley_manifest_id(${ARG_MANIFEST} _id)
  if(_id STREQUAL "")
    message(FATAL_ERROR "parley_add_plugin: ${ARG_MANIFEST} has no line id = \"<id>\"")
  endif()
  if(NOT ARG_OUTPUT_DIR)
    if(DEFINED PARLEY_PLUGIN_OUTPUT_DIR)
      set(ARG_OUTPUT_DIR ${PARLEY_PLUGIN_OUTPUT_DIR})
    else()
      set(ARG_OUTPUT_DIR ${CMAKE_BINARY_DIR}/plugins)
    endif()
  endif()

  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE Parley::sdk)
  set_target_properties(${target} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIR}/${_id}
    LINK_DEPENDS ${_map})
  target_link_options(${target} PRIVATE
    -Wl,--version-script=${_map} -Wl,--no-undefined)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -fno-gnu-unique)
  endif()
  configure_file(${ARG_MANIFEST} ${ARG_OUTPUT_DIR}/${_id}/plugin.toml COPYONLY)

  if(ARG_STATIC)
    add_library(${target}-static STATIC ${ARG_SOURCES})
    target_link_libraries(${target}-static PUBLIC Parley::sdk)
    target_compile_definitions(${target}-static PRIVATE PARLEY_STATIC_PLUGIN)
  endif()
  set_property(TARGET ${target} PROPERTY PARLEY_PLUGIN_ID ${_id})
endfunction()
