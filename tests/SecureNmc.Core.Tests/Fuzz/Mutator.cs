using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace SecureNmc.Core.Tests.Fuzz
{
    /// <summary>
    /// Mutation-based input generator: takes valid seed files and damages them the ways files get
    /// damaged or forged — bit flips, truncation, splicing two files, random bytes, boundary values,
    /// hostile strings — one to four mutations per input.
    /// </summary>
    internal sealed class Mutator
    {
        private static readonly byte[] BoundaryBytes = { 0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, (byte)'"', (byte)',', (byte)'\n', (byte)'\r', (byte)';', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)':', (byte)'\\', (byte)'.', (byte)'-', (byte)'0', (byte)'9' };

        private static readonly string[] HostileStrings =
        {
            "\"", "\"\"", "\",\"", "\0", "\uFEFF", "\uFFFD", "\u202E", "\uD800", "\r\n\r\n", "\\u0000", "\\ud800", "\\",
            "-1", "0", "2147483648", "-2147483649", "9223372036854775808", "1e999999", "-0", "NaN", "1.5", "0x10", "65536", "99999999999999999999",
            "null", "true", "[]", "{}", "\"\":\"\"", "../../../etc/passwd", "..\\..\\x", "/dev/zero", "CON", "nul", "C:\\x", "%s%n", "=cmd|' /C calc'!A0",
            "su_", "hw21", "hw00", "hw99", "_v2.9", ".nmc3", "2.9.0.2", "0.0.0.0", "255.255.255.255", "10.0.0.1", "::1", "a.b", "V", "t",
        };

        private readonly Random _rng;

        public Mutator(int seed) => _rng = new Random(seed);

        public Random Random => _rng;

        public byte[] Mutate(IReadOnlyList<byte[]> seeds)
        {
            var data = new List<byte>(seeds[_rng.Next(seeds.Count)]);
            int mutations = 1 + _rng.Next(4);
            for (int m = 0; m < mutations; m++) MutateOnce(data, seeds);
            return data.ToArray();
        }

        private static readonly System.Text.RegularExpressions.Regex JsonScalar = new System.Text.RegularExpressions.Regex(
            @"""(?:[^""\\]|\\.)*""|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\btrue\b|\bfalse\b|\bnull\b", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        private static readonly string[] HostileJsonValues =
        {
            "null", "true", "false", "0", "-1", "1.5", "1e999", "-1e999", "9223372036854775808", "-9223372036854775809", "4294967296", "65536",
            "\"\"", "\" \"", "\"\\u0000\"", "\"\\ud800\"", "\"\\uDFFF\\uD800\"", "\"../../x\"", "\"C:\\\\x\"", "\"00000000-0000-0000-0000-000000000000\"",
            "\"not-a-guid\"", "\"2026-13-45T99:99:99Z\"", "\"9999-12-31T23:59:59+14:00\"", "\"0001-01-01T00:00:00Z\"", "\"10.0.0.300\"", "\"SCP\"", "\"FTP\"", "\"XYZ\"",
            "[]", "{}", "[null]", "{\"a\":1}", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        };

        /// <summary>
        /// Structure-aware for JSON: replaces one to three scalar values of a valid document by hostile
        /// values (wrong types, out-of-range numbers, bad dates and GUIDs, huge strings), so the input gets
        /// past the JSON parser into the validation behind it; half the time, byte mutations instead.
        /// </summary>
        public byte[] MutateJson(IReadOnlyList<byte[]> seeds)
        {
            if (_rng.Next(2) == 0) return Mutate(seeds);
            var text = Encoding.UTF8.GetString(seeds[_rng.Next(seeds.Count)]);
            for (int n = 1 + _rng.Next(3); n > 0; n--)
            {
                var matches = JsonScalar.Matches(text);
                if (matches.Count == 0) break;
                var match = matches[_rng.Next(matches.Count)];
                var value = _rng.Next(8) == 0 ? "\"" + new string('A', 1 + _rng.Next(200_000)) + "\"" : HostileJsonValues[_rng.Next(HostileJsonValues.Length)];
                text = text.Substring(0, match.Index) + value + text.Substring(match.Index + match.Length);
            }
            return Encoding.UTF8.GetBytes(text);
        }

        public string MutateText(IReadOnlyList<string> seeds) =>
            Encoding.UTF8.GetString(Mutate(seeds.Select(s => Encoding.UTF8.GetBytes(s)).ToList()));

        private void MutateOnce(List<byte> data, IReadOnlyList<byte[]> seeds)
        {
            switch (_rng.Next(10))
            {
                case 0: // flip 1-8 bits
                    if (data.Count == 0) goto case 4;
                    for (int i = 1 + _rng.Next(8); i > 0; i--) { int at = _rng.Next(data.Count); data[at] ^= (byte)(1 << _rng.Next(8)); }
                    break;
                case 1: // truncate
                    if (data.Count > 0) { int at = _rng.Next(data.Count); data.RemoveRange(at, data.Count - at); }
                    break;
                case 2: // splice with another seed
                {
                    var other = seeds[_rng.Next(seeds.Count)];
                    int cut = data.Count == 0 ? 0 : _rng.Next(data.Count);
                    int from = other.Length == 0 ? 0 : _rng.Next(other.Length);
                    data.RemoveRange(cut, data.Count - cut);
                    data.AddRange(other.Skip(from));
                    break;
                }
                case 3: // a run of random bytes inserted
                {
                    var junk = new byte[1 + _rng.Next(_rng.Next(2) == 0 ? 16 : 512)];
                    _rng.NextBytes(junk);
                    data.InsertRange(data.Count == 0 ? 0 : _rng.Next(data.Count), junk);
                    break;
                }
                case 4: // boundary byte overwritten or inserted
                {
                    var b = BoundaryBytes[_rng.Next(BoundaryBytes.Length)];
                    if (data.Count > 0 && _rng.Next(2) == 0) data[_rng.Next(data.Count)] = b;
                    else data.Insert(data.Count == 0 ? 0 : _rng.Next(data.Count + 1), b);
                    break;
                }
                case 5: // hostile string inserted
                {
                    var s = Encoding.UTF8.GetBytes(HostileStrings[_rng.Next(HostileStrings.Length)]);
                    data.InsertRange(data.Count == 0 ? 0 : _rng.Next(data.Count + 1), s);
                    break;
                }
                case 6: // a range deleted
                    if (data.Count > 1) { int at = _rng.Next(data.Count); data.RemoveRange(at, 1 + _rng.Next(Math.Min(64, data.Count - at))); }
                    break;
                case 7: // a range repeated (duplicate entries, long fields, deep nesting)
                    if (data.Count > 0)
                    {
                        int at = _rng.Next(data.Count);
                        var piece = data.Skip(at).Take(1 + _rng.Next(32)).ToArray();
                        int times = 1 + _rng.Next(_rng.Next(8) == 0 ? 4000 : 8);
                        var run = new List<byte>(piece.Length * times);
                        for (int t = 0; t < times; t++) run.AddRange(piece);
                        data.InsertRange(at, run);
                    }
                    break;
                case 8: // a little-endian integer field set to a boundary value (bundle headers, lengths)
                    if (data.Count >= 4)
                    {
                        uint[] values = { 0, 1, 0x7F, 0xFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x10000, 14, 10, 4 };
                        var v = values[_rng.Next(values.Length)];
                        int at = _rng.Next(data.Count - 3);
                        for (int k = 0; k < 4; k++) data[at + k] = (byte)(v >> (8 * k));
                    }
                    break;
                default: // entirely random bytes (rarely) or an empty file
                    data.Clear();
                    if (_rng.Next(4) != 0)
                    {
                        var junk = new byte[_rng.Next(4096)];
                        _rng.NextBytes(junk);
                        data.AddRange(junk);
                    }
                    break;
            }
        }
    }
}
