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

        [Fact]
        public void Errors_give_line_and_column_and_flag_a_cut_off_text()
        {
            var e = Assert.Throws<JsonFormatException>(() => JsonReader.Parse("{\n  \"a\": 1,\n  \"b\": x\n}"));
            Assert.Contains("line 3, column 8", e.Message);
            Assert.Contains("unexpected character 'x'", e.Message);
            var cut = Assert.Throws<JsonFormatException>(() => JsonReader.Parse("{\"a\": [1, 2"));
            Assert.Contains("at the end of the document (truncated?)", cut.Message);
        }

        [Fact]
        public void The_streaming_cursor_applies_the_same_limits_and_checks()
        {
            var limits = new JsonLimits { MaxStringChars = 10 };
            var longString = new JsonCursor("{\"a\":\"" + new string('x', 11) + "\"}", limits);
            Assert.Contains("string longer than 10", Assert.Throws<JsonFormatException>(() => longString.ReadObject("the file", name => longString.String(name, "the file"))).Message);

            var twice = new JsonCursor("{\"a\":1,\"b\":{\"a\":2},\"a\":3}");
            var e = Assert.Throws<JsonFormatException>(() => twice.ReadObject("the file", name =>
            {
                if (name == "b") twice.ReadObject("b", inner => twice.Int64(inner, "b"));
                else twice.Int64(name, "the file");
            }));
            Assert.Contains("duplicate member \"a\"", e.Message);
            Assert.Contains("line 1, column 20", e.Message);

            var deep = new JsonCursor("{\"skip\":" + string.Concat(Enumerable.Repeat("[", 40)) + string.Concat(Enumerable.Repeat("]", 40)) + "}");
            Assert.Contains("nesting deeper than 32", Assert.Throws<JsonFormatException>(() => deep.ReadObject("the file", _ => deep.Skip())).Message);
        }

        [Fact]
        public void Numbers_follow_the_RFC_grammar()
        {
            foreach (var bad in new[] { "-", "1.", ".5", "1e", "--1", "1.2.3" })
                Assert.Throws<JsonFormatException>(() => JsonReader.Parse("[" + bad + "]"));
            var n = (JsonNumber)JsonReader.Parse("-12.5e+3");
            Assert.Equal("-12.5e+3", n.Text);
        }
    }
}
