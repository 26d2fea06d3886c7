// k6: InitiateAuth with USER_PASSWORD_AUTH against a user pool, one sign-in per iteration,
// spread over the seeded users. Run through `cognito-guard loadtest run --script initiate-auth`
// or directly:
//   k6 run -e SCENARIO=load -e RATE=20 -e DURATION=5m -e USER_POOL_ID=... -e CLIENT_ID=... \
//     -e USERS_FILE=$PWD/users.json -e SUMMARY_PATH=summary.json loadtests/initiate-auth.js

import exec from 'k6/execution';
import { SharedArray } from 'k6/data';
import { configFromEnv, usersFromFile } from './lib/config.js';
import { partitionRange, userIndexForSlot } from './lib/partition.js';
import { buildOptions, currentInstance, passwordSignIn, summaryHandler } from './lib/k6-runtime.js';

var config = configFromEnv(__ENV, { needsUsers: true, needsTokenEndpoint: false });
var users = new SharedArray('users', function () {
  return usersFromFile(open(config.usersFile));
});

export var options = buildOptions(config, JSON.parse(open('./thresholds.json')));

/** @type {{ start: number, end: number } | null} */
var range = null;

export default function () {
  if (!range) {
    var instance = currentInstance();
    range = partitionRange(users.length, instance.index, instance.count);
  }
  // Iteration numbers advance at the arrival rate, so consecutive sign-ins use different users
  // and each user stays far below Cognito's 10 requests per second per user.
  var user = users[userIndexForSlot(range, exec.scenario.iterationInInstance)];
  passwordSignIn(config, user);
}

export var handleSummary = summaryHandler(config, 'initiate-auth', users.length);
