#include "results/spread_table.hpp"

#include <array>
#include <stdexcept>

namespace juggle::results {
namespace {

template <std::size_t... I>
Column empty_of(std::size_t type, std::index_sequence<I...>) {
  static constexpr std::array<Column (*)(), sizeof...(I)> make{+[] { return Column(std::in_place_index<I>); }...};
  if (type >= make.size()) throw std::invalid_argument("no column type " + std::to_string(type));
  return make[type]();
}

}  // namespace

Column empty_column(std::size_t type) { return empty_of(type, std::make_index_sequence<std::variant_size_v<Column>>{}); }

}  // namespace juggle::results
