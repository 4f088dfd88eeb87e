// Starts dynalite in memory on a free loopback port and prints that port on stdout.
// The pytest fixture in conftest.py runs this, one server per test worker.
const dynalite = require('dynalite')

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
server.listen(0, '127.0.0.1', () => {
  console.log(server.address().port)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
