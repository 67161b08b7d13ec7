using System.Linq;
using SecureNmc.Core.Json;

namespace SecureNmc.Core.Tests.Json
{
    public class JsonReaderTests
    {
        [Fact]
        public void Round_trips_objects_arrays_strings_and_escapes()
        {
            var doc = new JsonObject().Set("a", "x\"y\\z\n\u0001é").Set("n", 42).Set("b", true).Set("nil", (string?)null)
                .Set("list", new JsonArray(new JsonValue[] { new JsonString("1"), new JsonNumber(2) }));
            foreach (var indented in new[] { false, true })
            {
                var parsed = JsonReader.ParseObject(JsonWriter.Write(doc, indented));
                Assert.Equal("x\"y\\z\n\u0001é", parsed.GetString("a"));
                Assert.Equal(42, parsed.GetInt64("n"));
                Assert.True(parsed.GetOptionalBool("b", false));
                Assert.Null(parsed.GetOptionalString("nil"));
                Assert.Equal(2, parsed.GetArray("list").Items.Count);
            }
        }

        [Theory]
        [InlineData("{\"a\":1,\"a\":2}", "duplicate member")]
        [InlineData("{\"a\":1}x", "after the end")]
        [InlineData("{\"a\":\"unterminated}", "unterminated string")]
        [InlineData("{\"a\":01}", "expected ','")]
        [InlineData("{\"a\":tru}", "invalid literal")]
        [InlineData("{a:1}", "member name")]
        [InlineData("[1,]", "unexpected character")]
        public void Rejects_malformed_documents_with_a_reason(string text, string reason)
        {
            var e = Assert.Throws<JsonFormatException>(() => JsonReader.Parse(text));
            Assert.Contains(reason, e.Message);
        }

        [Fact]
        public void Enforces_depth_string_and_document_bounds()
        {
            var deep = string.Concat(Enumerable.Repeat("[", 40)) + string.Concat(Enumerable.Repeat("]", 40));
            Assert.Contains("nesting deeper", Assert.Throws<JsonFormatException>(() => JsonReader.Parse(deep)).Message);
            var limits = new JsonLimits { MaxStringChars = 10, MaxDocumentChars = 100 };
            Assert.Contains("longer than 10", Assert.Throws<JsonFormatException>(() => JsonReader.Parse("\"" + new string('a', 11) + "\"", limits)).Message);
            Assert.Contains("limit of 100", Assert.Throws<JsonFormatException>(() => JsonReader.Parse(new string(' ', 101), limits)).Message);
            Assert.Contains("number longer", Assert.Throws<JsonFormatException>(() => JsonReader.Parse(new string('1', 41))).Message);
        }

        [Fact]
        public void Typed_getters_name_the_member_not_its_value()
        {
            var o = JsonReader.ParseObject("{\"token\":5}");
            var e = Assert.Throws<JsonFormatException>(() => o.GetString("token"));
            Assert.Contains("\"token\" must be a string", e.Message);
        }
    }
}
