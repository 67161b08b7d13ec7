using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.Module.Tests
{
    /// <summary>The pieces of the base cmdlet that do not need a PowerShell host.</summary>
    public sealed class PipelineInfrastructureTests
    {
        [Fact]
        public void Log_records_from_many_threads_all_arrive_in_one_drain()
        {
            var log = new PipelineLog { MinimumLevel = LogLevel.Debug };
            Parallel.For(0, 8, worker =>
            {
                var logger = log.CreateLogger("Worker" + worker);
                for (int i = 0; i < 250; i++) logger.LogInformation("device {Index} queried", i);
            });
            var entries = log.Drain();
            Assert.Equal(2000, entries.Count);
            Assert.Equal(8, entries.Select(e => e.Category).Distinct().Count());
            Assert.Contains(entries, e => e.Message == "device 249 queried");
            Assert.Empty(log.Drain());
        }

        [Fact]
        public void Records_below_the_chosen_level_are_not_even_formatted()
        {
            var log = new PipelineLog { MinimumLevel = LogLevel.Warning };
            var logger = log.CreateLogger("Core");
            int formatted = 0;
            logger.Log(LogLevel.Debug, default, "x", null, (s, e) => { formatted++; return s; });
            logger.Log(LogLevel.Information, default, "x", null, (s, e) => { formatted++; return s; });
            logger.LogWarning("card {Host} slow", "ups1");
            Assert.Equal(0, formatted);
            var entry = Assert.Single(log.Drain());
            Assert.Equal((LogLevel.Warning, "card ups1 slow"), (entry.Level, entry.Message));
        }

        [Fact]
        public void An_exception_adds_its_type_and_message_but_no_stack_trace()
        {
            var log = new PipelineLog { MinimumLevel = LogLevel.Debug };
            Exception thrown;
            try { throw new TimeoutException("no answer in 30 s"); } catch (Exception e) { thrown = e; }
            log.CreateLogger("Core").LogError(thrown, "query of {Host} failed", "ups1");
            var message = Assert.Single(log.Drain()).Message;
            Assert.Equal("query of ups1 failed (TimeoutException: no answer in 30 s)", message);
        }

        [Theory]
        [InlineData(new string[0], "(no devices)")]
        [InlineData(new[] { "a" }, "a")]
        [InlineData(new[] { "a", "b", "c" }, "a, b, c")]
        [InlineData(new[] { "a", "b", "c", "d", "e" }, "a, b, c (plus 2 more)")]
        public void Confirmation_targets_are_cut_to_a_few_names(string[] names, string expected) =>
            Assert.Equal(expected, ConfirmationText.Targets(names));
    }
}
