using System;
using System.Text;
using System.Threading.Tasks;
using SecureNmc.Core.CardFiles;

namespace SecureNmc.Core.Tests.CardFiles
{
    /// <summary>
    /// Seeded random mutation of realistic samples: every parser either returns or throws
    /// <see cref="CardFileFormatException"/>; nothing else, and never hangs (each batch runs under a deadline).
    /// </summary>
    public class CardFileFuzzTests
    {
        private const int Iterations = 1500;

        public static TheoryData<string> Parsers => new TheoryData<string> { "config", "event", "data", "about", "banner" };

        [Theory]
        [MemberData(nameof(Parsers))]
        public void Mutated_samples_only_ever_raise_the_documented_exception(string parser)
        {
            var (sample, parse) = Target(parser);
            var batch = Task.Run(() =>
            {
                var random = new Random(20260121 + parser.GetHashCode() % 1000);
                int parsed = 0, rejected = 0;
                for (int i = 0; i < Iterations; i++)
                {
                    var input = Mutate(sample, random);
                    try
                    {
                        parse(input);
                        parsed++;
                    }
                    catch (CardFileFormatException)
                    {
                        rejected++;
                    }
                    catch (Exception ex)
                    {
                        throw new Exception($"{parser} parser threw {ex.GetType().Name} for mutation {i} (seeded input): {ex.Message}", ex);
                    }
                }
                return parsed;
            });
            Assert.True(batch.Wait(TimeSpan.FromSeconds(60)), $"the {parser} parser did not finish {Iterations} mutated inputs: it hangs or is pathologically slow");
            Assert.True(batch.Result > Iterations / 10, "almost every mutation was rejected: the parser is not lenient");
        }

        [Fact]
        public void Random_bytes_and_huge_lines_are_handled()
        {
            var random = new Random(7);
            var run = Task.Run(() =>
            {
                for (int i = 0; i < 300; i++)
                {
                    var bytes = new byte[random.Next(0, 4096)];
                    random.NextBytes(bytes);
                    TryAll(CardText.Decode(bytes));
                }
                TryAll(new string('a', 200_000) + ":" + new string(' ', 100_000) + "v1.2");
                TryAll(string.Concat(System.Linq.Enumerable.Repeat("Name:  x  ", 20_000)));
                TryAll(new string('\t', 100_000) + "01/01/2026\t10:00");
            });
            Assert.True(run.Wait(TimeSpan.FromSeconds(60)), "parsers hang on random or huge input");
        }

        [Fact]
        public void Oversized_text_is_refused_with_the_documented_exception()
        {
            var huge = new string('x', CardText.MaxLength + 1);
            Assert.Throws<CardFileFormatException>(() => ConfigIniParser.Parse(huge));
        }

        private static void TryAll(string text)
        {
            foreach (var p in new[] { "config", "event", "data", "about", "banner" })
            {
                try { Target(p).Parse(text); }
                catch (CardFileFormatException) { }
            }
        }

        private static (string Sample, Action<string> Parse) Target(string parser) => parser switch
        {
            "config" => (CardFileSamples.Nmc3ConfigIni, t => ConfigIniParser.Parse(t)),
            "event" => (CardFileSamples.Nmc3EventLog, t => CardLogParser.ParseEventLog(t)),
            "data" => (CardFileSamples.Nmc3DataLog, t => CardLogParser.ParseDataLog(t)),
            "about" => (CardFileSamples.Nmc3About, t => AboutOutputParser.Parse(t)),
            _ => (CardFileSamples.Nmc3Banner, t => LoginBannerParser.Parse(t)),
        };

        private static readonly string[] Tokens = { "\r", "\n", "\t", ":", "=", "[", "]", ";", "v", ".", "/", " ", "\0", "\uFEFF", "APP", "AOS", "Name:", "E101:", "0x", "99999999", "01/01/2026", "12:00", "apc_hw21_", "\u00e9", "\uD800" };

        private static string Mutate(string sample, Random random)
        {
            var sb = new StringBuilder(sample);
            int edits = 1 + random.Next(12);
            for (int e = 0; e < edits; e++)
            {
                int pos = sb.Length == 0 ? 0 : random.Next(sb.Length);
                switch (random.Next(6))
                {
                    case 0: if (sb.Length > 0) sb.Remove(pos, Math.Min(sb.Length - pos, 1 + random.Next(40))); break;
                    case 1: sb.Insert(pos, Tokens[random.Next(Tokens.Length)]); break;
                    case 2: if (sb.Length > 0) sb[pos] = (char)random.Next(0, 0x3000); break;
                    case 3:
                        if (sb.Length > 0)
                        {
                            int len = Math.Min(sb.Length - pos, random.Next(200));
                            var chunk = sb.ToString(pos, len);
                            sb.Insert(random.Next(sb.Length), chunk);
                        }
                        break;
                    case 4: sb.Insert(pos, new string((char)random.Next(32, 127), random.Next(1, 300))); break;
                    default: if (sb.Length > 0) sb.Length = random.Next(sb.Length); break;
                }
            }
            return sb.ToString();
        }
    }
}
