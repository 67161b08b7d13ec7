using System;
using SecureNmc.Core.Query;
using SecureNmc.Core.Settings;
using SecureNmc.Core.Tests.Inventory;
using SecureNmc.Core.Transport;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.Settings
{
    public sealed class TimeoutSettingsTests : IDisposable
    {
        private readonly TempDataFolder _temp = new TempDataFolder();

        public void Dispose() => _temp.Dispose();

        [Fact]
        public void Defaults_are_the_limits_the_product_always_used()
        {
            var settings = new NmcSettings();
            var connection = new ConnectionOptions().ApplyTimeouts(settings);
            Assert.Equal(TimeSpan.FromSeconds(30), connection.ConnectTimeout);
            Assert.Equal(TimeSpan.FromSeconds(60), connection.OperationTimeout);
            Assert.Equal(TimeSpan.FromSeconds(60), connection.UploadStallTimeout);
            Assert.Equal(TimeSpan.FromMinutes(10), new UpdateEngineOptions().ApplyTimeouts(settings).RestartReturnTimeout);
            Assert.Equal(TimeSpan.FromMinutes(4), new DeviceQueryOptions().ApplyTimeouts(settings).QueryTimeout);
        }

        [Fact]
        public void Stored_timeouts_reach_queries_transports_and_the_update_engine()
        {
            new SettingsStore(_temp.Folder).Update(s =>
            {
                s.Set("ConnectTimeoutSeconds", "90");
                s.Set("replytimeoutseconds", 120);
                s.Set("UploadStallTimeoutSeconds", 45);
                s.Set("RestartTimeoutSeconds", 1200);
            });
            var settings = new SettingsStore(_temp.Folder).Load();

            var query = new DeviceQueryOptions().ApplyTimeouts(settings);
            Assert.Equal(TimeSpan.FromSeconds(90), query.ConnectTimeout);
            Assert.Equal(TimeSpan.FromSeconds(120), query.OperationTimeout);
            // A whole query must leave room for a login and a few replies at these limits.
            Assert.True(query.QueryTimeout >= TimeSpan.FromSeconds(90 + 3 * 120), query.QueryTimeout.ToString());

            var connection = new ConnectionOptions().ApplyTimeouts(settings);
            Assert.Equal(TimeSpan.FromSeconds(90), connection.ConnectTimeout);
            Assert.Equal(TimeSpan.FromSeconds(120), connection.OperationTimeout);
            Assert.Equal(TimeSpan.FromSeconds(45), connection.UploadStallTimeout);

            Assert.Equal(TimeSpan.FromMinutes(20), new UpdateEngineOptions().ApplyTimeouts(settings).RestartReturnTimeout);
        }

        [Theory]
        [InlineData("ConnectTimeoutSeconds", 0)]
        [InlineData("ConnectTimeoutSeconds", 601)]
        [InlineData("ReplyTimeoutSeconds", 3601)]
        [InlineData("UploadStallTimeoutSeconds", 0)]
        [InlineData("RestartTimeoutSeconds", 7201)]
        public void Out_of_range_timeouts_are_refused_with_the_range(string name, int value)
        {
            var ex = Assert.Throws<SettingValidationException>(() => new NmcSettings().Set(name, value));
            Assert.Contains(name, ex.Message);
            Assert.Contains(" to ", ex.Message);
        }
    }
}
